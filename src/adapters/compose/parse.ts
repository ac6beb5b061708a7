import type { Document, LineCounter, Pair, YAMLMap, Node as YamlNode } from "yaml";
import type { SourceLocation } from "../../model";
import { type FastYamlDocument, readYamlFast } from "../yaml-fast-read";
import { isAlias, isMap, isPair, isScalar, isSeq, yamlLibrary } from "../yaml-library";
import { MAX_ALIASES, MAX_DEPTH, refuseDeepNesting, SourceError, type SourcePath } from "../yaml-source";

/** One parsed Compose file: its plain value, and its YAML document (for positions and edits). */
export interface ComposeDocument {
  file: string;
  text: string;
  /** Plain value with anchors and `<<` merge keys resolved. */
  value: unknown;
  /** The fast read's positions, when the file took the fast read (then `doc` is built on first use). */
  fast?: FastYamlDocument;
  /** The `yaml` library's document: for edits, and positions when the file did not take the fast read. */
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

export interface ComposeParseOptions {
  /** Take the fast read when the file allows it. @default true (false: the `yaml` library only, for tests) */
  fast?: boolean;
}

/** A Compose file read fast: the `yaml` Document is parsed only when an edit or a position needs it. */
class FastComposeDocument implements ComposeDocument {
  private full: { doc: Document.Parsed; lineCounter: LineCounter } | undefined;
  constructor(
    readonly file: string,
    readonly text: string,
    readonly value: unknown,
    readonly fast: FastYamlDocument,
  ) {}
  private parsed() {
    this.full ??= parseFull(this.text);
    return this.full;
  }
  get doc(): Document.Parsed {
    return this.parsed().doc;
  }
  get lineCounter(): LineCounter {
    return this.parsed().lineCounter;
  }
}

/**
 * Parses a Compose file. Compose reads YAML 1.1-style `<<` merge keys (used with anchors to share
 * settings between services), so they are resolved here. Throws a SourceError with a position.
 * A plain file (one document; no anchors, merge keys, tags or comment suppressions — see
 * `readYamlFast`) takes the fast read: values and positions from js-yaml, several times cheaper
 * than the `yaml` library's Document, which is then built only if a fix edits the file.
 */
export function parseComposeYaml(
  file: string,
  text: string,
  options: ComposeParseOptions = {},
): ComposeDocument {
  refuseDeepNesting(text);
  if (options.fast !== false && !text.includes("<<")) {
    const docs = readYamlFast(file, text, MAX_DEPTH);
    const only = docs?.length === 1 ? docs[0] : undefined;
    if (only) return new FastComposeDocument(file, text, only.value, only);
  }
  const { doc, lineCounter, value } = parseFull(text);
  return { file, text, doc, lineCounter, value };
}

/** The `yaml` library's read of a Compose file, its errors as SourceErrors with positions. */
function parseFull(text: string): { doc: Document.Parsed; lineCounter: LineCounter; value: unknown } {
  const { LineCounter, parseDocument } = yamlLibrary();
  const lineCounter = new LineCounter();
  // The library's own duplicate-key check compares each key with every earlier one (a map of
  // 20,000 services costs seconds); the same check, by a set, follows.
  const doc = parseDocument(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: false });
  const err = doc.errors[0];
  if (err) {
    const pos = lineCounter.linePos(err.pos[0]);
    throw new SourceError(`invalid YAML: ${err.message.split("\n")[0]}`, pos.line, pos.col);
  }
  const duplicate = firstDuplicateKey(doc);
  if (duplicate) {
    const pos = lineCounter.linePos(duplicate.offset);
    throw new SourceError(
      `invalid YAML: the key "${duplicate.key}" appears twice in one mapping; Compose keys must be unique — remove or merge one of them`,
      pos.line,
      pos.col,
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    const msg = (e as Error).message;
    throw new SourceError(
      /alias/i.test(msg)
        ? `document expands too many YAML aliases (over ${MAX_ALIASES}); refusing a possible "billion laughs" document`
        : `cannot read YAML: ${msg.split("\n")[0]}`,
      1,
      1,
    );
  }
  return { doc, lineCounter, value };
}

/** The first key repeated within one mapping (scalar keys; merge keys `<<` may repeat). */
function firstDuplicateKey(doc: Document): { key: string; offset: number } | undefined {
  let found: { key: string; offset: number } | undefined;
  const { visit } = yamlLibrary();
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || typeof pair.key.value === "symbol") continue;
        const key = String(pair.key.value);
        if (seen.has(key)) {
          found = { key, offset: pair.key.range?.[0] ?? 0 };
          return visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

function keyOf(pair: Pair): string | undefined {
  // Keys added by edits (`setIn`) are plain values, parsed ones are Scalar nodes.
  if (typeof pair.key === "string" || typeof pair.key === "number") return String(pair.key);
  return isScalar(pair.key) && typeof pair.key.value !== "symbol" ? String(pair.key.value) : undefined;
}

/** With `merge: true` the parser gives a `<<` key a symbol value; a quoted "<<" stays a string. */
function isMergePair(pair: Pair): boolean {
  return isScalar(pair.key) && typeof pair.key.value === "symbol";
}

/** The maps a `<<` merge value brings in: one alias, a list of aliases, or an inline map. */
function mergeSources(doc: Document, value: unknown): YAMLMap[] {
  const resolve = (v: unknown): YAMLMap | undefined => {
    const n = isAlias(v) ? v.resolve(doc) : v;
    return isMap(n) ? (n as YAMLMap) : undefined;
  };
  if (isSeq(value)) return value.items.map(resolve).filter((m): m is YAMLMap => m !== undefined);
  const one = resolve(value);
  return one ? [one] : [];
}

export interface FoundPair {
  pair: Pair;
  /** True when the key is written in the map itself, false when it comes through `<<`. */
  own: boolean;
}

/** Finds `key` in a map, following `<<` merge keys (own keys win, then merges in order). */
export function findPair(doc: Document, map: YAMLMap, key: string, depth = 0): FoundPair | undefined {
  for (const p of map.items) {
    if (isPair(p) && keyOf(p) === key) return { pair: p, own: true };
  }
  if (depth > 16) return undefined;
  for (const p of map.items) {
    if (!isPair(p) || !isMergePair(p)) continue;
    for (const src of mergeSources(doc, p.value)) {
      const hit = findPair(doc, src, key, depth + 1);
      if (hit) return { pair: hit.pair, own: false };
    }
  }
  return undefined;
}

/** The node at `path`, following aliases and merge keys. */
export function nodeAt(
  doc: Document,
  path: SourcePath,
): { node: YamlNode | null | undefined; own: boolean } | undefined {
  let node = doc.contents as YamlNode | null | undefined;
  let own = true;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc) as YamlNode | undefined;
    if (isMap(node)) {
      const hit = findPair(doc, node as YAMLMap, String(seg));
      if (!hit) return undefined;
      own &&= hit.own;
      node = hit.pair.value as YamlNode | null;
    } else if (isSeq(node)) {
      const item = typeof seg === "number" ? node.items[seg] : listItemNamed(node.items, seg);
      if (item === undefined) return undefined;
      node = item as YamlNode;
    } else return undefined;
  }
  if (isAlias(node)) node = node.resolve(doc) as YamlNode | undefined;
  return { node, own };
}

/** In a `KEY=value` list (environment, labels), the item for KEY. */
function listItemNamed(items: unknown[], name: string): unknown {
  const i = listIndexNamed(items, name);
  return i >= 0 ? items[i] : undefined;
}

/** The index of KEY's item in a `KEY=value` list of scalar nodes or plain values; -1 without one. */
function listIndexNamed(items: readonly unknown[], name: string): number {
  return items.findIndex((it) => {
    const plain = isScalar(it) ? it.value : it;
    if (plain === null || typeof plain === "object" || typeof plain === "symbol" || plain === undefined)
      return false;
    const s = String(plain);
    return s === name || s.startsWith(`${name}=`);
  });
}

/**
 * `path` on the fast read: a list item named by KEY (`environment`, `labels`) becomes its index,
 * found in the plain value, which the fast read's positions follow one for one.
 */
function locateFast(
  cdoc: ComposeDocument,
  fast: FastYamlDocument,
  path: SourcePath,
): SourceLocation | undefined {
  let value: unknown = cdoc.value;
  const indexed: (string | number)[] = [];
  for (const seg of path) {
    if (Array.isArray(value)) {
      const i = typeof seg === "number" ? seg : listIndexNamed(value, seg);
      if (i < 0 || i >= value.length) return undefined;
      indexed.push(i);
      value = value[i];
    } else if (value !== null && typeof value === "object") {
      const key = String(seg);
      if (!Object.hasOwn(value, key)) return undefined;
      indexed.push(key);
      value = (value as Record<string, unknown>)[key];
    } else return undefined;
  }
  return fast.locate(indexed);
}

/** The plain value at `path` (list items by index or by KEY), for reads that need no position. */
export function valueAt(cdoc: ComposeDocument, path: SourcePath): unknown {
  let value: unknown = cdoc.value;
  for (const seg of path) {
    if (Array.isArray(value)) {
      const i = typeof seg === "number" ? seg : listIndexNamed(value, seg);
      value = i >= 0 ? value[i] : undefined;
    } else if (value !== null && typeof value === "object") {
      const key = String(seg);
      value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    } else return undefined;
  }
  return value;
}

/**
 * Location of `path`: the key of the last map entry (so a finding points at `privileged: true`),
 * the item for a list index, following aliases and `<<` merges (the location is then where the
 * merged value is written). `undefined` when the path does not exist.
 */
export function locateCompose(cdoc: ComposeDocument, path: SourcePath): SourceLocation | undefined {
  if (cdoc.fast) return locateFast(cdoc, cdoc.fast, path);
  const { doc } = cdoc;
  let node = doc.contents as YamlNode | null | undefined;
  let at = node?.range?.[0];
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc) as YamlNode | undefined;
    if (isMap(node)) {
      const hit = findPair(doc, node as YAMLMap, String(seg));
      if (!hit) return undefined;
      at = (hit.pair.key as YamlNode | null)?.range?.[0] ?? at;
      node = hit.pair.value as YamlNode | null;
    } else if (isSeq(node)) {
      const item = (typeof seg === "number" ? node.items[seg] : listItemNamed(node.items, seg)) as
        | YamlNode
        | undefined;
      if (!item) return undefined;
      at = item.range?.[0] ?? at;
      node = item;
    } else return undefined;
  }
  if (at === undefined) return undefined;
  const pos = cdoc.lineCounter.linePos(at);
  return { file: cdoc.file, line: pos.line, column: pos.col };
}

/** First and last line (1-based) of the map entry `key` in the map at `path`, key line included. */
export function entryLines(
  cdoc: ComposeDocument,
  path: SourcePath,
  key: string,
): [number, number] | undefined {
  const parent = nodeAt(cdoc.doc, path)?.node;
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((p) => isPair(p) && keyOf(p) === key);
  if (!pair) return undefined;
  const start = (pair.key as YamlNode | null)?.range?.[0];
  const value = pair.value as YamlNode | null;
  const end = value?.range?.[1] ?? (pair.key as YamlNode | null)?.range?.[1];
  if (start === undefined || end === undefined) return undefined;
  // A block's range ends at the start of the next line; step back onto the block's last character.
  const last = Math.max(start, end - 1);
  return [cdoc.lineCounter.linePos(start).line, cdoc.lineCounter.linePos(last).line];
}
