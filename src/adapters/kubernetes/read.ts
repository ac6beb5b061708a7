import type { InputError } from "../../engine/finding";
import type { Origin, Resource, SourceLocation } from "../../model";
import { suppressionsFromComments } from "../suppressions";
import { SourceError, type SourcePath, type YamlDocument } from "../yaml-source";
import { IGNORED_BUILTIN_KINDS, MODELLED_KINDS, POD_SPEC_PATHS } from "./kinds";
import { mapObject } from "./objects";
import { arr, obj, str } from "./values";

export interface KubernetesReadOptions {
  /** Skip objects of unknown kinds (custom resources) instead of reporting them. @default false */
  allowUnknownKinds?: boolean;
}

export interface KubernetesReadResult {
  resources: Resource[];
  errors: InputError[];
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
  for (const ydoc of ydocs) {
    if (ydoc.value === null || ydoc.value === undefined) continue;
    const docResources: Resource[] = [];
    try {
      readObject(ydoc, ydoc.value, [], docResources, options);
    } catch (e) {
      if (!(e instanceof SourceError)) throw e;
      const err: InputError = { file: ydoc.file, message: e.message };
      if (e.line !== undefined) err.line = e.line;
      if (e.column !== undefined) err.column = e.column;
      errors.push(err);
      continue;
    }
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
  return { resources, errors };
}

function readObject(
  ydoc: YamlDocument,
  value: unknown,
  root: SourcePath,
  out: Resource[],
  options: KubernetesReadOptions,
): void {
  const where = ydoc.locate(root) ?? { file: ydoc.file, line: ydoc.firstLine, column: 1 };
  const o = obj(value);
  if (!o) {
    throw new SourceError(
      "not a Kubernetes object (expected a mapping with apiVersion and kind)",
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
    arr(o.items).forEach((item, i) => {
      readObject(ydoc, item, [...root, "items", i], out, options);
    });
    return;
  }
  if (!POD_SPEC_PATHS[kind] && !MODELLED_KINDS.has(kind)) {
    if (IGNORED_BUILTIN_KINDS.has(kind) || options.allowUnknownKinds) return;
    const at = ydoc.locate([...root, "kind"]) ?? where;
    throw new SourceError(
      `unknown kind "${kind}" (apiVersion ${apiVersion}); shipshape checks workloads, Services, NetworkPolicies, RBAC, ServiceAccounts, Namespaces and Secrets — pass --allow-unknown-kinds to skip custom resources`,
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
  const mapped = mapObject(kind, o, root, origin);
  if (!mapped) return;
  origin.sourcePath = mapped.sourcePath;
  // Findings of one object share parents (`containers.0.resources` for each missing limit).
  // An object usually asks for a handful of paths: a flat list of path, location pairs is
  // cheaper than a Map per object. A pod with thousands of containers asks for thousands, and
  // scanning the list for each would cost their square, so past a few it becomes a Map.
  // The closure keeps `locate` only, not the document's value.
  let resolved: (string | SourceLocation | undefined)[] | undefined;
  let resolvedMap: Map<string, SourceLocation | undefined> | undefined;
  const locate = ydoc.locate;
  origin.resolve = (modelPath) => {
    if (resolvedMap) {
      if (resolvedMap.has(modelPath)) return resolvedMap.get(modelPath);
    } else if (resolved) {
      for (let i = 0; i < resolved.length; i += 2) {
        if (resolved[i] === modelPath) return resolved[i + 1] as SourceLocation | undefined;
      }
    } else resolved = [];
    const path = mapped.sourcePath(modelPath);
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
  out.push(mapped.resource);
}
