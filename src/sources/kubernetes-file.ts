import { jsonIndent } from "../adapters/daemon";
import { refuseText } from "../adapters/dockerfile/guard";
import { type KubernetesReadOptions, readKubernetesDocuments } from "../adapters/kubernetes";
import { applyYamlPatch, FixRefusedError } from "../adapters/yaml-patch";
import {
  type EditableYamlDocument,
  parseEditableYamlFile,
  parseYamlFile,
  SourceError,
  type YamlDocument,
} from "../adapters/yaml-source";
import type { Finding } from "../engine/finding";
import type { LoadOptions, SourceFile } from "./source-file";

/** Reads a YAML/JSON file of Kubernetes manifests. */
export function loadKubernetesFile(file: string, text: string, options: LoadOptions = {}): SourceFile {
  const refused = refuseText(file, text);
  if (refused) return { file, format: "kubernetes", resources: [], errors: [refused] };
  let ydocs: YamlDocument[];
  try {
    ydocs = parseYamlFile(file, text);
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    const error = { file, message: e.message, line: e.line ?? 1, column: e.column ?? 1 };
    return { file, format: "kubernetes", resources: [], errors: [error] };
  }
  const opts: KubernetesReadOptions = {};
  if (options.strictKinds !== undefined) opts.strictKinds = options.strictKinds;
  if (options.workloadKinds !== undefined) opts.workloadKinds = options.workloadKinds;
  const { resources, errors, notAudited } = readKubernetesDocuments(ydocs, opts);
  return {
    file,
    format: "kubernetes",
    resources,
    errors,
    notAudited,
    applyFixes(findings: readonly Finding[], resourceOffset: number) {
      // Edits go through the `yaml` library's Document, which keeps comments and layout. The
      // audit may have read the file the fast way, so it is read again for editing: the same
      // values give the same objects in the same order, now tied to editable documents.
      const editable = parseEditableYamlFile(file, text);
      const twins = readKubernetesDocuments(editable, opts).resources;
      if (twins.length !== resources.length) {
        throw new FixRefusedError("the file read for fixing differs from the audited one");
      }
      let changed = false;
      for (const f of findings) {
        if (!f.fix) continue;
        const i = f.resourceIndex - resourceOffset;
        const resource = resources[i];
        const twin = twins[i];
        if (!resource || !twin || resource.origin.file !== file) continue;
        const ydoc: EditableYamlDocument | undefined = editable[twin.origin.documentIndex ?? 0];
        const toSource = twin.origin.sourcePath;
        if (!ydoc || !toSource) continue;
        for (const patch of f.fix) {
          const path = toSource(patch.path);
          if (!path) continue;
          applyYamlPatch(ydoc.doc, path, patch);
          changed = true;
        }
      }
      if (!changed) return undefined;
      // A JSON manifest stays JSON (YAML's layout would no longer parse as JSON).
      if (isJsonManifest(file, text)) {
        const indent = jsonIndent(text);
        return `${editable.map((d) => JSON.stringify(d.doc.toJS(), null, indent)).join("\n")}\n`;
      }
      return editable.map((d) => d.doc.toString({ lineWidth: 0 })).join("");
    },
  };
}

/** A `.json` file, or text that is one JSON document. */
function isJsonManifest(file: string, text: string): boolean {
  if (/\.json$/i.test(file)) return true;
  if (!/^\s*[{[]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
