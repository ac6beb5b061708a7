import type { InputError, NotAudited } from "../../engine/finding";
import type { Origin, Resource, SourceLocation } from "../../model";
import { suppressionsFromComments } from "../suppressions";
import { SourceError, type SourcePath, type YamlDocument } from "../yaml-source";
import { kindReading, UNCHECKED_BUILTIN_KINDS, type WorkloadKind } from "./kinds";
import { mapObject } from "./objects";
import { shapeProblems } from "./shape";
import { arr, obj, str } from "./values";

export interface KubernetesReadOptions {
  /**
   * Report objects of kinds no rule checks (custom resources, misspelt kinds) as input errors
   * instead of counting them as not audited. Built-in kinds without checks (ConfigMap, …) are
   * never errors. @default false
   */
  strictKinds?: boolean;
  /** Kinds that embed a pod template, beyond the built-in ones (`--workload-kind`). @default [] */
  workloadKinds?: readonly WorkloadKind[];
}

export interface KubernetesReadResult {
  resources: Resource[];
  errors: InputError[];
  notAudited: NotAudited[];
}

interface ReadState {
  ydoc: YamlDocument;
  options: KubernetesReadOptions;
  out: Resource[];
  errors: InputError[];
  notAudited: NotAudited[];
}

/** Paths an object's location cache keeps in a flat list before it becomes a Map. */
const FLAT_RESOLVED_PATHS = 16;

/** Maps parsed YAML documents of one file to model objects. */
export function readKubernetesDocuments(
  ydocs: YamlDocument[],
  options: KubernetesReadOptions = {},
): KubernetesReadResult {
  const resources: Resource[] = [];
  const errors: InputError[] = [];
  const notAudited: NotAudited[] = [];
  for (const ydoc of ydocs) {
    if (ydoc.value === null || ydoc.value === undefined) continue;
    const docResources: Resource[] = [];
    // A bad object is an error of its own: the other objects of the document (a List's other
    // items) are still audited.
    readGuarded({ ydoc, options, out: docResources, errors, notAudited }, ydoc.value, []);
    // Comment suppressions apply to the document's objects (a List's items share them).
    const comments = suppressionsFromComments(ydoc.text, ydoc.file, ydoc.firstLine, 0);
    for (const r of docResources) {
      comments.forEach((c, i) => {
        const { location, ...suppression } = c;
        const path = `suppressions.${r.suppressions.length + i}`;
        r.suppressions.push({ ...suppression, path });
        r.origin.locations.set(path, location);
      });
    }
    resources.push(...docResources);
  }
  return { resources, errors, notAudited };
}

function readGuarded(state: ReadState, value: unknown, root: SourcePath): void {
  try {
    readObject(state, value, root);
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    const err: InputError = { file: state.ydoc.file, message: e.message };
    if (e.line !== undefined) err.line = e.line;
    if (e.column !== undefined) err.column = e.column;
    state.errors.push(err);
  }
}

/** `spec.template.spec.containers[0].securityContext.runAsUser`, relative to the object. */
function fieldName(path: SourcePath, root: SourcePath): string {
  let out = "";
  for (const seg of path.slice(root.length)) {
    out += typeof seg === "number" ? `[${seg}]` : out === "" ? seg : `.${seg}`;
  }
  return out;
}

function readObject(state: ReadState, value: unknown, root: SourcePath): void {
  const { ydoc, options } = state;
  const where = ydoc.locate(root) ?? { file: ydoc.file, line: ydoc.firstLine, column: 1 };
  const o = obj(value);
  if (!o) {
    const what = root.length > 0 ? `item ${root[root.length - 1]} of the list` : "the document";
    throw new SourceError(
      `${what} is not a Kubernetes object (expected a mapping with apiVersion and kind, got ${value === null ? "null" : Array.isArray(value) ? "a list" : JSON.stringify(value)})`,
      where.line,
      where.column,
    );
  }
  const kind = str(o.kind);
  const apiVersion = str(o.apiVersion);
  if (!kind || !apiVersion) {
    throw new SourceError(
      `not a Kubernetes object: missing ${!kind ? "kind" : "apiVersion"}; every document needs apiVersion and kind`,
      where.line,
      where.column,
    );
  }
  if (kind === "List" || kind.endsWith("List")) {
    if (o.items !== undefined && o.items !== null && !Array.isArray(o.items)) {
      const at = ydoc.locate([...root, "items"]) ?? where;
      throw new SourceError(`${kind}: items must be a list`, at.line, at.column);
    }
    arr(o.items).forEach((item, i) => {
      readGuarded(state, item, [...root, "items", i]);
    });
    return;
  }
  const reading = kindReading(apiVersion, kind, options.workloadKinds);
  if (reading.as === "wrong-group") {
    const at = ydoc.locate([...root, "apiVersion"]) ?? where;
    const groups = reading.groups.map((g) => (g === "" ? "v1" : `${g}/…`)).join(" or ");
    throw new SourceError(
      `${kind} is not served by apiVersion ${apiVersion}; use ${groups}`,
      at.line,
      at.column,
    );
  }
  if (reading.as === "not-audited") {
    if (options.strictKinds && !UNCHECKED_BUILTIN_KINDS.has(kind)) {
      const at = ydoc.locate([...root, "kind"]) ?? where;
      throw new SourceError(
        `kind "${kind}" (apiVersion ${apiVersion}) is not audited: no rule checks it (--strict-kinds makes this an error); declare a kind that embeds a pod template with --workload-kind <group>/<Kind>=<path>`,
        at.line,
        at.column,
      );
    }
    state.notAudited.push({ apiVersion, kind });
    return;
  }
  const problems = shapeProblems(o, root, reading.as === "workload" ? reading : { kind });
  const first = problems[0];
  if (first) {
    const at = ydoc.locate(first.path) ?? where;
    const name = str(obj(o.metadata)?.name);
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more invalid field${problems.length > 2 ? "s" : ""})`
        : "";
    throw new SourceError(
      `${kind}${name ? ` "${name}"` : ""} is invalid, not audited: ${fieldName(first.path, root)}: ${first.message}${more}`,
      at.line,
      at.column,
    );
  }
  const origin: Origin = {
    format: "kubernetes",
    file: ydoc.file,
    documentIndex: ydoc.index,
    location: where,
    locations: new Map(),
  };
  const mapped = mapObject(kind, o, root, origin, reading.as === "workload" ? reading.template : undefined);
  if (!mapped) return;
  origin.sourcePath = mapped.sourcePath;
  origin.resolve = resolverOf(mapped.sourcePath, ydoc.locate);
  state.out.push(mapped.resource);
}

/**
 * An object's `origin.resolve`: model paths to source locations, each looked up once.
 * Findings of one object share parents (`containers.0.resources` for each missing limit).
 * An object usually asks for a handful of paths: a flat list of path, location pairs is cheaper
 * than a Map per object. A pod with thousands of containers asks for thousands, and scanning the
 * list for each would cost their square, so past a few it becomes a Map.
 *
 * Made by a call, so that the function is allocated young and holds these two functions and
 * its cache only (see `Origin.resolve`).
 */
function resolverOf(
  sourcePath: (modelPath: string) => SourcePath | undefined,
  locate: YamlDocument["locate"],
): NonNullable<Origin["resolve"]> {
  let resolved: (string | SourceLocation | undefined)[] | undefined;
  let resolvedMap: Map<string, SourceLocation | undefined> | undefined;
  return (modelPath) => {
    if (resolvedMap) {
      if (resolvedMap.has(modelPath)) return resolvedMap.get(modelPath);
    } else if (resolved) {
      for (let i = 0; i < resolved.length; i += 2) {
        if (resolved[i] === modelPath) return resolved[i + 1] as SourceLocation | undefined;
      }
    } else resolved = [];
    const path = sourcePath(modelPath);
    const at = path ? locate(path) : undefined;
    if (resolvedMap) resolvedMap.set(modelPath, at);
    else if (resolved) {
      resolved.push(modelPath, at);
      if (resolved.length >= 2 * FLAT_RESOLVED_PATHS) {
        resolvedMap = new Map();
        for (let i = 0; i < resolved.length; i += 2) {
          resolvedMap.set(resolved[i] as string, resolved[i + 1] as SourceLocation | undefined);
        }
        resolved = undefined;
      }
    }
    return at;
  };
}
