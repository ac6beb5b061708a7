import { readKubernetesDocuments } from "../adapters/kubernetes";
import { applyYamlPatch } from "../adapters/yaml-patch";
import { parseYamlFile, SourceError, type YamlDocument } from "../adapters/yaml-source";
import type { Finding } from "../engine/finding";
import type { LoadOptions, SourceFile } from "./source-file";

/** Reads a YAML/JSON file of Kubernetes manifests. */
export function loadKubernetesFile(file: string, text: string, options: LoadOptions = {}): SourceFile {
  let ydocs: YamlDocument[];
  try {
    ydocs = parseYamlFile(file, text);
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    const error = { file, message: e.message, line: e.line ?? 1, column: e.column ?? 1 };
    return { file, format: "kubernetes", resources: [], errors: [error] };
  }
  const opts =
    options.allowUnknownKinds === undefined ? {} : { allowUnknownKinds: options.allowUnknownKinds };
  const { resources, errors } = readKubernetesDocuments(ydocs, opts);
  return {
    file,
    format: "kubernetes",
    resources,
    errors,
    applyFixes(findings: readonly Finding[], resourceOffset: number) {
      let changed = false;
      for (const f of findings) {
        if (!f.fix) continue;
        const resource = resources[f.resourceIndex - resourceOffset];
        if (!resource || resource.origin.file !== file) continue;
        const ydoc = ydocs[resource.origin.documentIndex ?? 0];
        const toSource = resource.origin.sourcePath;
        if (!ydoc || !toSource) continue;
        for (const patch of f.fix) {
          const path = toSource(patch.path);
          if (!path) continue;
          applyYamlPatch(ydoc.doc, path, patch);
          changed = true;
        }
      }
      if (!changed) return undefined;
      return ydocs.map((d) => d.doc.toString({ lineWidth: 0 })).join("");
    },
  };
}
