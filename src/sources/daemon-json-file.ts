import { applyJsonPatch, jsonIndent, readDaemonJson } from "../adapters/daemon";
import { refuseText } from "../adapters/dockerfile/guard";
import type { Finding } from "../engine/finding";
import type { SourceFile } from "./source-file";

/** Reads a Docker daemon `daemon.json` into one `DaemonConfig`, with fixes written back as JSON. */
export function loadDaemonJson(file: string, text: string): SourceFile {
  const refused = refuseText(file, text);
  if (refused) return { file, format: "daemon-json", resources: [], errors: [refused] };
  const { config, errors } = readDaemonJson(file, text);
  if (!config) return { file, format: "daemon-json", resources: [], errors };
  return {
    file,
    format: "daemon-json",
    resources: [config],
    errors,
    applyFixes(findings: readonly Finding[], resourceOffset: number) {
      const value = JSON.parse(text) as Record<string, unknown>;
      let changed = false;
      for (const f of findings) {
        if (!f.fix || f.resourceIndex - resourceOffset !== 0) continue;
        for (const patch of f.fix) {
          const path = config.origin.sourcePath?.(patch.path);
          if (!path) continue;
          applyJsonPatch(value, path, patch);
          changed = true;
        }
      }
      if (!changed) return undefined;
      return `${JSON.stringify(value, null, jsonIndent(text))}\n`;
    },
  };
}
