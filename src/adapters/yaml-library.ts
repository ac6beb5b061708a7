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

// The library's node tests, false until it is loaded: no node of it exists before then. So
// code that meets plain values and nodes alike tests them without loading the library.

export function isAlias(node: unknown): node is Alias {
  return library?.isAlias(node) === true;
}

export function isMap<K = unknown, V = unknown>(node: unknown): node is YAMLMap<K, V> {
  return library?.isMap(node) === true;
}

export function isPair<K = unknown, V = unknown>(node: unknown): node is Pair<K, V> {
  return library?.isPair(node) === true;
}

export function isScalar<T = unknown>(node: unknown): node is Scalar<T> {
  return library?.isScalar(node) === true;
}

export function isSeq<T = unknown>(node: unknown): node is YAMLSeq<T> {
  return library?.isSeq(node) === true;
}
