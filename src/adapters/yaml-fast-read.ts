import { FAILSAFE_SCHEMA, type LoadOptions, loadAll, Type } from "js-yaml";
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
 * One node of a document, as far as locating needs it: the offsets of map keys (`keys` set) or
 * sequence items, and the nodes under them. Flat arrays: most maps hold a handful of keys.
 */
interface PositionNode {
  keys: string[] | undefined;
  at: number[];
  nodes: (PositionNode | undefined)[];
}

/**
 * What locating in one file needs, and nothing more: the parse's frames and values are not
 * kept alive by the objects' origins.
 */
class FilePositions {
  private lineStarts: number[] | undefined;
  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  location(offset: number): SourceLocation {
    this.lineStarts ??= lineStartsOf(this.text);
    const at = contentStart(this.text, offset);
    const line = lineIndex(this.lineStarts, at);
    return { file: this.file, line: line + 1, column: at - (this.lineStarts[line] ?? 0) + 1 };
  }

  locate(
    tree: PositionNode | undefined,
    rootAt: number,
    path: readonly (string | number)[],
  ): SourceLocation | undefined {
    let node = tree;
    let at = rootAt;
    for (const seg of path) {
      if (!node) return undefined;
      const i = node.keys ? node.keys.indexOf(String(seg)) : typeof seg === "number" ? seg : -1;
      const offset = node.at[i];
      if (offset === undefined) return undefined;
      at = offset;
      node = node.nodes[i];
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
const scalar = (tag: string, starts: string, test: RegExp, construct: (s: string) => unknown) =>
  new Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (s: unknown) =>
      typeof s === "string" && (s.length === 0 || starts.includes(s.charAt(0))) && test.test(s),
    construct,
  });
const NUMBER_START = "0123456789+-.";
const CORE_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar("null", "~nN", /^(?:~|null|Null|NULL|)$/, () => null),
    scalar("bool", "tTfF", /^(?:true|True|TRUE|false|False|FALSE)$/, (s) => s[0] === "t" || s[0] === "T"),
    scalar("int", NUMBER_START, /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/, (s) =>
      s.startsWith("0o") ? Number.parseInt(s.slice(2), 8) : Number(s),
    ),
    // One type per tag: js-yaml keeps only the last type given for a tag.
    scalar(
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

/** A tag (`!x`, `!!str`) at the start of a token; tags make js-yaml backtrack. */
const TAG_START = /(?:^|[\s[{,])!/;
/** Content on a `---` line, where the two parsers disagree on what may start. */
const CONTENT_AFTER_MARKER = /^---[ \t]+[^\s#]/m;

/**
 * Reads every document of `text`, or returns `undefined` when the full read must decide.
 * `maxDepth` bounds js-yaml's recursion (the caller has already refused deeper text).
 */
export function readYamlFast(file: string, text: string, maxDepth: number): FastYamlDocument[] | undefined {
  if (
    text.charCodeAt(0) === 0xfeff ||
    text.includes("shipshape:ignore") ||
    (text.includes("!") && TAG_START.test(text)) ||
    (text.includes("---") && CONTENT_AFTER_MARKER.test(text))
  ) {
    return undefined;
  }
  const parsed = parseWithFrames(text, maxDepth);
  if (!parsed) return undefined;
  const positions = new FilePositions(file, text);
  const docs: FastYamlDocument[] = [];
  try {
    for (const [index, root] of parsed.roots.entries()) {
      const tree = positionsOf(text, root);
      docs.push({
        index,
        value: parsed.values[index],
        firstLine: positions.location(root.open).line,
        locate: locator(positions, tree, root.open),
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
  tree: PositionNode | undefined,
  rootAt: number,
): FastYamlDocument["locate"] {
  return (path) => positions.locate(tree, rootAt, path);
}

/** js-yaml's read of `text` with one frame per node; `undefined` when the full read must decide. */
function parseWithFrames(text: string, maxDepth: number): { roots: Frame[]; values: unknown[] } | undefined {
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
    const parent = stack[stack.length - 1];
    if (!parent) roots.push(frame);
    else if (parent.children) parent.children.push(frame);
    else parent.children = [frame];
  };
  let values: unknown[];
  try {
    values = loadAll(text, null, {
      schema: CORE_SCHEMA,
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
 * Map entries and sequence items of a node, checked against the value js-yaml built: every
 * key and item must hold exactly the value read, or the full read takes over.
 */
function positionsOf(text: string, start: Frame): PositionNode | undefined {
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
    const node: PositionNode = { keys: [], at: [], nodes: [] };
    for (let i = 0; i < children.length; i++) {
      const keyFrame = children[i] as Frame;
      // A failed attempt at a next key (end of the mapping) reads nothing.
      if (keyFrame.kind === null) continue;
      // The `yaml` library refuses implicit keys over 1024 characters; it says so.
      if (!followedByColon(text, keyFrame.close) || keyFrame.close - keyFrame.open > 1024) {
        throw new GiveUp();
      }
      const key = keyFrame.result;
      if (typeof key !== "string" && typeof key !== "boolean" && !Number.isSafeInteger(key)) {
        throw new GiveUp();
      }
      const valueFrame = children[++i];
      if (!valueFrame || (valueFrame.kind !== null && followedByColon(text, valueFrame.close))) {
        throw new GiveUp();
      }
      const name = String(key);
      if (value[name] !== valueFrame.result) throw new GiveUp();
      node.keys?.push(name);
      node.at.push(keyFrame.open);
      node.nodes.push(positionsOf(text, valueFrame));
    }
    // As many distinct keys as entries: a duplicate key (the full read decides) leaves fewer.
    let distinct = 0;
    for (const _ in value) distinct++;
    if (node.at.length !== distinct) throw new GiveUp();
    return node;
  }
  if (frame.kind === "sequence") {
    const value = frame.result as unknown[];
    if (children.length !== value.length) throw new GiveUp();
    const node: PositionNode = { keys: undefined, at: [], nodes: [] };
    children.forEach((item, i) => {
      if (value[i] !== item.result) throw new GiveUp();
      node.at.push(item.open);
      node.nodes.push(positionsOf(text, item));
    });
    return node;
  }
  return undefined;
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

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

/** Index of the line holding `offset`. */
function lineIndex(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
