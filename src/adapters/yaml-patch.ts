import { type Document, isSeq } from "yaml";
import type { Patch } from "../rules/rule";
import type { SourcePath } from "./yaml-source";

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Applies one model patch, already translated to a source path, to a YAML document in place.
 * Untouched nodes keep their comments and layout.
 */
export function applyYamlPatch(doc: Document, path: SourcePath, patch: Patch): void {
  switch (patch.op) {
    case "set":
      doc.setIn(path, patch.value);
      return;
    case "remove":
      if (doc.hasIn(path)) doc.deleteIn(path);
      return;
    case "add-to-list": {
      const node = doc.getIn(path, true);
      if (isSeq(node)) {
        const items = node.toJSON() as unknown[];
        if (!items.some((x) => equal(x, patch.value))) node.add(doc.createNode(patch.value));
      } else {
        doc.setIn(path, doc.createNode([patch.value]));
      }
      return;
    }
    case "remove-from-list": {
      const node = doc.getIn(path, true);
      if (!isSeq(node)) return;
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i] as { toJSON?: () => unknown } | undefined;
        const v = item && typeof item.toJSON === "function" ? item.toJSON() : item;
        if (equal(v, patch.value)) node.items.splice(i, 1);
      }
      return;
    }
  }
}
