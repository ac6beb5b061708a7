import type * as YamlLibrary from "yaml";
import type { Alias, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";

let library: typeof YamlLibrary | undefined;

/**
 * The `yaml` library, required on first use. Its 72 modules cost about 20 ms to load in each
 * process and worker thread, and most audits never need them: the fast read (js-yaml) takes
 * plain Kubernetes and Compose files, and the library builds a Document only for a file the
 * fast read leaves, for an edit, or for a position the fast read did not record.
 */
export function yamlLibrary(): typeof YamlLibrary {
  library ??= require("yaml") as typeof YamlLibrary;
  return library;
}

/** What the library marks each of its nodes with (a registered symbol, the same in every copy of it). */
const NODE_TYPE = Symbol.for("yaml.node.type");

/**
 * Whether `value` is a node of the library, told without loading it: code that meets plain
 * values and nodes alike (the fast read's values, a Document's) loads it only for a node.
 */
function isNode(value: unknown): boolean {
  return typeof value === "object" && value !== null && NODE_TYPE in value;
}

export function isAlias(node: unknown): node is Alias {
  return isNode(node) && yamlLibrary().isAlias(node);
}

export function isMap<K = unknown, V = unknown>(node: unknown): node is YAMLMap<K, V> {
  return isNode(node) && yamlLibrary().isMap(node);
}

export function isPair<K = unknown, V = unknown>(node: unknown): node is Pair<K, V> {
  return isNode(node) && yamlLibrary().isPair(node);
}

export function isScalar<T = unknown>(node: unknown): node is Scalar<T> {
  return isNode(node) && yamlLibrary().isScalar(node);
}

export function isSeq<T = unknown>(node: unknown): node is YAMLSeq<T> {
  return isNode(node) && yamlLibrary().isSeq(node);
}
