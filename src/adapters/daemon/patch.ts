import type { Patch } from "../../rules/rule";

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies one patch, already translated to a path of keys, to a plain JSON value in place.
 * Objects keep their key order, so re-serialising changes only what the patch touches.
 */
export function applyJsonPatch(root: Record<string, unknown>, path: (string | number)[], patch: Patch): void {
  if (path.length === 0) return;
  let parent: Record<string | number, unknown> = root;
  for (const seg of path.slice(0, -1)) {
    const next = parent[seg];
    if (next === null || typeof next !== "object") {
      if (patch.op === "remove" || patch.op === "remove-from-list") return;
      parent[seg] = {};
    }
    parent = parent[seg] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1] as string | number;
  switch (patch.op) {
    case "set":
      parent[last] = patch.value;
      return;
    case "remove":
      if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
      else delete parent[last];
      return;
    case "add-to-list": {
      const list = parent[last];
      if (Array.isArray(list)) {
        if (!list.some((x) => equal(x, patch.value))) list.push(patch.value);
      } else parent[last] = [patch.value];
      return;
    }
    case "remove-from-list": {
      const list = parent[last];
      if (Array.isArray(list)) parent[last] = list.filter((x) => !equal(x, patch.value));
      return;
    }
  }
}

/** The indentation a JSON text uses (two spaces when it cannot tell), to write it back alike. */
export function jsonIndent(text: string): string | number {
  const m = /\n([ \t]+)["}\]]/.exec(text);
  return m?.[1] ?? 2;
}
