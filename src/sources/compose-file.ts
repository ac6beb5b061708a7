import { applyServicePatches, type ComposeReadOptions, readComposeFile } from "../adapters/compose";
import { readGuardedFile } from "../adapters/compose/extends";
import { refuseText } from "../adapters/dockerfile/guard";
import type { Finding } from "../engine/finding";
import type { LoadOptions, SourceFile } from "./source-file";

export type ComposeLoadOptions = LoadOptions & ComposeReadOptions;

/**
 * Reads a Compose file into workloads (one per service), networks, volumes and secrets.
 * Fixes are written back into the services, keeping comments and layout.
 */
export function loadComposeFile(file: string, text: string, options: ComposeLoadOptions = {}): SourceFile {
  const refused = refuseText(file, text);
  if (refused) return { file, format: "compose", resources: [], errors: [refused] };
  // A file reached through `extends.file` passes the same guards, and timeout, as this one.
  const readFile = options.readFile ?? ((path: string) => readGuardedFile(path, options.readTimeoutMs));
  const { resources, errors, cdoc, targets } = readComposeFile(file, text, { ...options, readFile });
  const source: SourceFile = { file, format: "compose", resources, errors };
  if (!cdoc || resources.length === 0) return source;
  // Bound to a name before it is stored, so that it is allocated young (see `Origin.resolve`).
  const applyFixes = (findings: readonly Finding[], resourceOffset: number) => {
    let changed = false;
    for (const f of findings) {
      if (!f.fix) continue;
      const resource = resources[f.resourceIndex - resourceOffset];
      const target = resource ? targets.get(resource) : undefined;
      if (!target) continue;
      if (applyServicePatches(cdoc, target, f.fix)) changed = true;
    }
    return changed
      ? cdoc.doc.toString({ lineWidth: 0, flowCollectionPadding: paddedFlows(text) })
      : undefined;
  };
  source.applyFixes = applyFixes;
  return source;
}

/** Whether the file writes flow collections as `[ a ]` / `{ a: 1 }` rather than `[a]` / `{a: 1}`. */
function paddedFlows(text: string): boolean {
  const padded = (text.match(/[[{] \S/g) ?? []).length;
  const tight = (text.match(/[[{][^\s\]}]/g) ?? []).length;
  return padded >= tight;
}
