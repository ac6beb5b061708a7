import type { Alias, Document } from "yaml";
import type { Patch } from "../rules/rule";
import { isAlias, isMap, isSeq } from "./yaml-library";
import type { SourcePath } from "./yaml-source";

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A fix that cannot be written safely; `offset` is where in the file the reason is. */
export class FixRefusedError extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
    this.name = "FixRefusedError";
  }
}

/** The first alias (`*name`) on the way to `path`, if any. */
function aliasOnPath(doc: Document, path: SourcePath): Alias | undefined {
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (isAlias(node)) return node;
    if (isMap(node) || isSeq(node)) node = node.get(segment, true);
    else return undefined;
  }
  return isAlias(node) ? node : undefined;
}

/**
 * Applies one model patch, already translated to a source path, to a YAML document in place.
 * Untouched nodes keep their comments and layout. A path through an alias is refused
 * (`FixRefusedError`): the edit would change the anchored node and every other use of it.
 */
export function applyYamlPatch(doc: Document, path: SourcePath, patch: Patch): void {
  const alias = aliasOnPath(doc, path);
  if (alias) {
    throw new FixRefusedError(
      `the fix of ${path.join(".")} goes through the YAML alias *${alias.source}, and changing the anchored node would change every use of it; write the aliased content out in full, or fix it by hand`,
      alias.range?.[0],
    );
  }
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
