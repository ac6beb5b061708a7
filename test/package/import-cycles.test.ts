/**
 * The folders under src/ form layers: no folder imports, directly or through others, a folder
 * that imports it back (components ↔ render, policy → cli → policy were such cycles).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";

const src = resolve(__dirname, "..", "..", "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

/** The top-level folder under src/ of a path, or undefined for src/ itself. */
function folderOf(path: string): string | undefined {
  const rel = relative(src, path).split(sep);
  return rel.length > 1 ? rel[0] : undefined;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)[^;'"]*?from\s+"(\.[^"]+)"|require\("(\.[^"]+)"\)/g;

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(src)) {
    const from = folderOf(file);
    if (!from) continue;
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT)) {
      const to = folderOf(resolve(dirname(file), m[1] ?? m[2] ?? ""));
      if (to && to !== from) {
        if (!graph.has(from)) graph.set(from, new Set());
        graph.get(from)?.add(to);
      }
    }
  }
  return graph;
}

/** Every cycle's folders, as `a → b → a`. */
function cycles(graph: Map<string, Set<string>>): string[] {
  const found = new Set<string>();
  const walk = (node: string, path: string[]) => {
    for (const next of graph.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const loop = path.slice(at);
        const start = loop.indexOf([...loop].sort()[0] as string);
        found.add([...loop.slice(start), ...loop.slice(0, start), loop[start]].join(" → "));
      } else walk(next, [...path, next]);
    }
  };
  for (const node of graph.keys()) walk(node, [node]);
  return [...found].sort();
}

describe("folder layering under src/", () => {
  it("finds a cycle when there is one (the check is live)", () => {
    const graph = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["a"])],
    ]);
    expect(cycles(graph)).toEqual(["a → b → a"]);
  });

  it("has no folder-level import cycle", () => {
    const graph = folderGraph();
    expect(graph.get("components")?.has("render")).toBe(false);
    expect(graph.get("policy")?.has("cli")).toBe(false);
    expect(cycles(graph)).toEqual([]);
  });
});
