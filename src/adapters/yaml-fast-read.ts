import type * as JsYaml from "js-yaml";
import type { LoadOptions, Schema } from "js-yaml";
import type { SourceLocation } from "../model";

/**
 * The fast read of a YAML file: values from js-yaml (several times faster than building the
 * `yaml` library's Document), positions from js-yaml's parse events.
 *
 * It only takes plain files and gives up (returns `undefined`) on anything unusual, so that the
 * full `yaml` Document read decides those — with its exact values, positions and error
 * messages: parse errors, anchors and aliases, tags, a byte-order mark, comment suppressions,
 * duplicate keys, or any node whose recorded position does not line up with the value read.
 */

/**
 * Where the nodes of one document start, flat: a tree of small objects and arrays per node
 * costs several times the file's size and, kept until the report, slows every scavenge.
 *
 * A node at index `n` of `cells` is `[entries, keyStart, e0.at, e0.child, e1.at, e1.child, …]`:
 * `at` is the offset of the entry's key or the item, `child` the index of the node under it or
 * -1 for a scalar. A mapping's entry `j` has its key in `keys[keyStart + j]`; a sequence has
 * `keyStart` -1.
 */
interface DocumentPositions {
  cells: Int32Array;
  keys: string[];
}

/** Cells of the document being read; reused, so a document allocates only its exact copy. */
let scratch = new Int32Array(1 << 14);

/** Builder of a document's `DocumentPositions`. */
class PositionsBuilder {
  private used = 0;
  readonly keys: string[] = [];

  /** Reserves a node of `entries` entries (and their keys' slots when `keyed`); returns its index. */
  reserve(entries: number, keyed: boolean): number {
    const n = this.used;
    const size = 2 + 2 * entries;
    if (n + size > scratch.length) {
      const grown = new Int32Array(Math.max(scratch.length * 2, n + size));
      grown.set(scratch.subarray(0, n));
      scratch = grown;
    }
    scratch[n] = entries;
    scratch[n + 1] = keyed ? this.keys.length : -1;
    this.used = n + size;
    if (keyed) for (let i = 0; i < entries; i++) this.keys.push("");
    return n;
  }

  /** Sets entry `i` of node `n`. */
  entry(n: number, i: number, at: number, child: number, key?: string): void {
    scratch[n + 2 + 2 * i] = at;
    scratch[n + 3 + 2 * i] = child;
    if (key !== undefined) this.keys[(scratch[n + 1] as number) + i] = key;
  }

  done(): DocumentPositions {
    return { cells: scratch.slice(0, this.used), keys: this.keys };
  }
}

/**
 * What locating in one file needs, and nothing more: the parse's frames and values are not
 * kept alive by the objects' origins.
 */
class FilePositions {
  /** Offsets of the file's lines: the text itself is not kept (a file's objects outlive it). */
  private readonly lineStarts: Int32Array;
  constructor(
    private readonly file: string,
    text: string,
  ) {
    this.lineStarts = lineStartsOf(text);
  }

  /** `offset` is where content starts (see `contentStart`). */
  location(offset: number): SourceLocation {
    const line = lineIndex(this.lineStarts, offset);
    return { file: this.file, line: line + 1, column: offset - (this.lineStarts[line] ?? 0) + 1 };
  }

  locate(
    doc: DocumentPositions,
    rootAt: number,
    path: readonly (string | number)[],
  ): SourceLocation | undefined {
    const { cells, keys } = doc;
    let node = cells.length > 0 ? 0 : -1;
    let at = rootAt;
    for (const seg of path) {
      if (node < 0) return undefined;
      const entries = cells[node] as number;
      const first = cells[node + 1] as number;
      let i = -1;
      if (first < 0) {
        if (typeof seg === "number" && seg < entries) i = seg;
      } else {
        const name = String(seg);
        for (let j = 0; j < entries; j++) {
          if (keys[first + j] === name) {
            i = j;
            break;
          }
        }
      }
      if (i < 0) return undefined;
      at = cells[node + 2 + 2 * i] as number;
      node = cells[node + 3 + 2 * i] as number;
    }
    return this.location(at);
  }
}

/** One `composeNode` call of js-yaml, recorded by the listener. */
interface Frame {
  open: number;
  close: number;
  kind: string | null;
  result: unknown;
  children: Frame[] | undefined;
}

/** The parser state js-yaml hands its listener (the fields read here). */
interface ParserState {
  position: number;
  kind: string | null;
  result: unknown;
  tag: string | null;
  anchor: string | null;
}

export interface FastYamlDocument {
  index: number;
  value: unknown;
  firstLine: number;
  locate(path: readonly (string | number)[]): SourceLocation | undefined;
}

class GiveUp extends Error {}

// The YAML 1.2 core schema's tag resolution (spec §10.3.2), which the `yaml` library applies
// by default; js-yaml's own schemas differ (binary integers, underscores, timestamps).
// `starts` lists the first characters a match can have: most plain scalars are words, which
// that rejects without running the expression.
// js-yaml asks each type in turn about every plain scalar, keys included: the first character
// is looked up in a table, not searched for in `starts`.
const scalar = (
  { Type }: typeof JsYaml,
  tag: string,
  starts: string,
  test: RegExp,
  construct: (s: string) => unknown,
) => {
  const first = new Uint8Array(128);
  for (let i = 0; i < starts.length; i++) first[starts.charCodeAt(i)] = 1;
  return new Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (s: unknown) =>
      typeof s === "string" && (s.length === 0 || first[s.charCodeAt(0)] === 1) && test.test(s),
    construct,
  });
};
const NUMBER_START = "0123456789+-.";

/**
 * js-yaml and the core schema, built on first use: a run of Dockerfiles alone never loads the
 * library.
 */
let reader: { loadAll: typeof JsYaml.loadAll; schema: Schema } | undefined;

function jsYamlReader(): { loadAll: typeof JsYaml.loadAll; schema: Schema } {
  if (reader) return reader;
  const library = require("js-yaml") as typeof JsYaml;
  reader = { loadAll: library.loadAll, schema: coreSchema(library) };
  return reader;
}

function coreSchema(library: typeof JsYaml): Schema {
  return library.FAILSAFE_SCHEMA.extend({
    implicit: [
      scalar(library, "null", "~nN", /^(?:~|null|Null|NULL|)$/, () => null),
      scalar(
        library,
        "bool",
        "tTfF",
        /^(?:true|True|TRUE|false|False|FALSE)$/,
        (s) => s[0] === "t" || s[0] === "T",
      ),
      scalar(library, "int", NUMBER_START, /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/, (s) =>
        s.startsWith("0o") ? Number.parseInt(s.slice(2), 8) : Number(s),
      ),
      // One type per tag: js-yaml keeps only the last type given for a tag.
      scalar(
        library,
        "float",
        NUMBER_START,
        /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
        (s) => {
          const bare = s.replace(/^[-+]/, "");
          if (bare.startsWith(".") && /[a-zA-Z]/.test(bare)) {
            if (/^\.nan$/i.test(bare)) return Number.NaN;
            return s[0] === "-" ? -Infinity : Infinity;
          }
          return Number(s);
        },
      ),
    ],
  });
}

/**
 * A `!` where a tag (`!x`, `!!str`) could start. It is also how CEL rules (`!has(self.x)`,
 * `a != b`) in CRDs' validations begin, so a match only makes the read look at each node.
 */
const TAG_CANDIDATE = /(?:^|[\s[{,])!/;
/**
 * Content on a `---` line (`/^---[ \t]+[^\s#]/m`), where the two parsers disagree on what may
 * start. Found with `indexOf`: the multiline regular expression tries every position of the text,
 * a tenth of the fast read's time on a 1 MB bundle.
 */
function contentAfterMarker(text: string): boolean {
  for (let at = text.indexOf("---"); at >= 0; at = text.indexOf("---", at + 3)) {
    const before = at === 0 ? 10 : text.charCodeAt(at - 1);
    if (before !== 10 && before !== 13 && before !== 0x2028 && before !== 0x2029) continue;
    let i = at + 3;
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
    if (i === at + 3 || i >= text.length) continue;
    if (!SPACE_OR_HASH.test(text.charAt(i))) return true;
  }
  return false;
}
const SPACE_OR_HASH = /[\s#]/;

/**
 * Reads every document of `text`, or returns `undefined` when the full read must decide.
 * `maxDepth` bounds js-yaml's recursion: deeper text fails the fast read, and the full read decides.
 */
export function readYamlFast(file: string, text: string, maxDepth: number): FastYamlDocument[] | undefined {
  if (text.charCodeAt(0) === 0xfeff || text.includes("shipshape:ignore") || contentAfterMarker(text)) {
    return undefined;
  }
  const parsed = parseWithFrames(text, maxDepth, text.includes("!") && TAG_CANDIDATE.test(text));
  if (!parsed) return undefined;
  const positions = new FilePositions(file, text);
  const docs: FastYamlDocument[] = [];
  try {
    for (const [index, root] of parsed.roots.entries()) {
      const builder = new PositionsBuilder();
      positionsOf(text, root, builder);
      const tree = builder.done();
      const rootAt = contentStart(text, root.open);
      docs.push({
        index,
        value: parsed.values[index],
        firstLine: positions.location(rootAt).line,
        locate: locator(positions, tree, rootAt),
      });
    }
  } catch (e) {
    if (e instanceof GiveUp) return undefined;
    throw e;
  }
  return docs;
}

/** A closure over what locating needs only (a closure keeps its whole scope alive). */
function locator(
  positions: FilePositions,
  tree: DocumentPositions,
  rootAt: number,
): FastYamlDocument["locate"] {
  return (path) => positions.locate(tree, rootAt, path);
}

/**
 * js-yaml's read of `text` with one frame per node; `undefined` when the full read must decide.
 * With `mayHaveTags`, a node whose content starts with `!` is a tag (no plain scalar may start
 * with `!`, and a tag is the first thing of its node), which the full read decides.
 */
function parseWithFrames(
  text: string,
  maxDepth: number,
  mayHaveTags: boolean,
): { roots: Frame[]; values: unknown[] } | undefined {
  const stack: Frame[] = [];
  const roots: Frame[] = [];
  let unusual = false;
  const listener = (event: "open" | "close", parserState: unknown) => {
    const state = parserState as ParserState;
    if (event === "open") {
      stack.push({ open: state.position, close: -1, kind: null, result: undefined, children: undefined });
      return;
    }
    const frame = stack.pop() as Frame;
    frame.close = state.position;
    frame.kind = state.kind;
    frame.result = state.result;
    if (state.anchor !== null) unusual = true;
    if (mayHaveTags && text.charCodeAt(contentStart(text, frame.open)) === 33) unusual = true;
    const parent = stack[stack.length - 1];
    if (!parent) roots.push(frame);
    else if (parent.children) parent.children.push(frame);
    else parent.children = [frame];
  };
  let values: unknown[];
  try {
    const { loadAll, schema } = jsYamlReader();
    values = loadAll(text, null, {
      schema,
      listener,
      maxDepth,
    } as LoadOptions & { maxDepth: number });
  } catch {
    return undefined;
  }
  if (unusual || roots.length !== values.length) return undefined;
  return { roots, values };
}

/**
 * Records the entries and items under a node into `out` (returning the node's index, -1 for a
 * scalar), checked against the value js-yaml built: every key and item must hold exactly the
 * value read, or the full read takes over.
 */
function positionsOf(text: string, start: Frame, out: PositionsBuilder): number {
  let frame = start;
  // A collection read while js-yaml tried a block mapping (a flow collection at the top or as
  // a sequence item) is the one child of a node holding the same value.
  for (;;) {
    const only = frame.children?.length === 1 ? frame.children[0] : undefined;
    if (!only || only.result !== frame.result) break;
    frame = only;
  }
  const children = frame.children ?? [];
  if (frame.kind === "mapping") {
    const value = frame.result as Record<string, unknown>;
    // A failed attempt at a next key (end of the mapping) reads nothing.
    let entries = 0;
    for (let i = 0; i < children.length; i++) {
      if ((children[i] as Frame).kind === null) continue;
      entries++;
      i++;
    }
    // As many distinct keys as entries: a duplicate key (the full read decides) leaves fewer.
    let distinct = 0;
    for (const _ in value) distinct++;
    if (entries !== distinct) throw new GiveUp();
    const node = out.reserve(entries, true);
    for (let i = 0, j = 0; j < entries; i++) {
      const keyFrame = children[i] as Frame;
      if (keyFrame.kind === null) continue;
      const valueFrame = children[++i];
      // The `yaml` library refuses implicit keys over 1024 characters; it says so.
      if (!followedByColon(text, keyFrame.close) || keyFrame.close - keyFrame.open > 1024) {
        throw new GiveUp();
      }
      const key = keyFrame.result;
      if (typeof key !== "string" && typeof key !== "boolean" && !Number.isSafeInteger(key)) {
        throw new GiveUp();
      }
      if (!valueFrame || (valueFrame.kind !== null && followedByColon(text, valueFrame.close))) {
        throw new GiveUp();
      }
      const name = String(key);
      if (value[name] !== valueFrame.result) throw new GiveUp();
      out.entry(node, j++, contentStart(text, keyFrame.open), positionsOf(text, valueFrame, out), name);
    }
    return node;
  }
  if (frame.kind === "sequence") {
    const value = frame.result as unknown[];
    if (children.length !== value.length) throw new GiveUp();
    const node = out.reserve(children.length, false);
    for (let i = 0; i < children.length; i++) {
      const item = children[i] as Frame;
      if (value[i] !== item.result) throw new GiveUp();
      out.entry(node, i, contentStart(text, item.open), positionsOf(text, item, out));
    }
    return node;
  }
  return -1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function followedByColon(text: string, from: number): boolean {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return text.charCodeAt(i) === 58;
}

/** The first character of content at or after `from`: past separating space and comments. */
function contentStart(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) i++;
    else if (c === 35 && (i === 0 || isSpace(text.charCodeAt(i - 1)))) {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? text.length : eol;
    } else break;
  }
  return i;
}

function lineStartsOf(text: string): Int32Array {
  let lines = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
  const starts = new Int32Array(lines);
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts[line++] = i + 1;
  return starts;
}

/** Index of the line holding `offset`. */
function lineIndex(starts: Int32Array, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
