import type { Document, LineCounter, ParsedNode, Node as YamlNode } from "yaml";
import type { InputError } from "../engine/finding";
import type { SourceLocation } from "../model";
import { readYamlFast } from "./yaml-fast-read";
import { isMap, isPair, isScalar, isSeq, yamlLibrary } from "./yaml-library";

/** Files above this size are refused, so memory stays bounded whatever is thrown at us. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Aliases per document; a "billion laughs" document needs far more. */
export const MAX_ALIASES = 1000;
/** Nesting depth beyond which a document is refused before it can exhaust the stack. */
export const MAX_DEPTH = 256;

export type SourcePath = (string | number)[];

/** One YAML document of a file, with what is needed to point into it. */
export interface YamlDocument {
  file: string;
  index: number;
  /** Plain JavaScript value of the document. */
  value: unknown;
  /** Text of the document, for comment suppressions ("" when the file has none). */
  text: string;
  /** Line of the document's first character. */
  firstLine: number;
  /** Location of the node at `path` (see `locateIn`); `undefined` when the path does not exist. */
  locate(path: SourcePath): SourceLocation | undefined;
}

/** A document read with the `yaml` library, which keeps comments and layout for editing. */
export interface EditableYamlDocument extends YamlDocument {
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export class SourceError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/** Refuses input that is not text: over the size limit, or NUL bytes anywhere (the error names the line). */
export function checkText(file: string, bytes: Buffer): InputError | undefined {
  if (bytes.length > MAX_FILE_BYTES) {
    return {
      file,
      message: `file is ${(bytes.length / 1024 / 1024).toFixed(1)} MiB; shipshape reads files up to ${MAX_FILE_BYTES / 1024 / 1024} MiB — split it or pass a smaller file`,
      line: 1,
      column: 1,
    };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) return binaryAt(file, lineOfOffset(bytes, nul));
  return undefined;
}

/** The same NUL check for text already decoded (loaders called without the file reader). */
export function checkNoNul(file: string, text: string): InputError | undefined {
  const nul = text.indexOf("\0");
  if (nul < 0) return undefined;
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < nul; i = text.indexOf("\n", i + 1)) line++;
  return binaryAt(file, line);
}

function binaryAt(file: string, line: number): InputError {
  return {
    file,
    message: `binary file (NUL byte on line ${line}); shipshape reads YAML, JSON, Dockerfiles and Compose files`,
    line,
    column: 1,
  };
}

function lineOfOffset(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < offset; i = bytes.indexOf(10, i + 1)) line++;
  return line;
}

/**
 * Rough nesting depth of YAML/JSON text: flow brackets and block indentation. Used to refuse
 * pathological documents before the YAML composer (which recurses) sees them.
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let maxIndent = 0;
  // The open quote's character code, 0 outside quotes (character codes: no string per character).
  let inQuote = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineStart = true;
      indent = 0;
      inQuote = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32 || c === 45) {
        indent++;
        continue;
      }
      lineStart = false;
      if (indent > maxIndent) maxIndent = indent;
    }
    if (inQuote !== 0) {
      if (c === inQuote) inQuote = 0;
      continue;
    }
    if (c === 34 || c === 39) inQuote = c;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > max) max = depth;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  // Block nesting needs at least one column per level.
  return Math.max(max, Math.floor(maxIndent / 2));
}

/**
 * Whether `nestingDepth(text)` is surely at most `max`, by a bound cheaper than the scan: the
 * bracket depth is at most the number of `[` and `{`, the indentation at most a line's length.
 */
export function surelyNoDeeperThan(text: string, max: number): boolean {
  let opens = 0;
  for (let i = text.indexOf("["); i >= 0; i = text.indexOf("[", i + 1)) if (++opens > max) return false;
  for (let i = text.indexOf("{"); i >= 0; i = text.indexOf("{", i + 1)) if (++opens > max) return false;
  // floor(indent / 2) <= max while no line is longer than 2 * max + 1.
  const longest = 2 * max + 1;
  let start = 0;
  for (;;) {
    const end = text.indexOf("\n", start);
    if ((end < 0 ? text.length : end) - start > longest) return false;
    if (end < 0) return true;
    start = end + 1;
  }
}

/** Refuses text nested deeper than `MAX_DEPTH` before a parser (which recurses) sees it. */
export function refuseDeepNesting(text: string): void {
  const depth = surelyNoDeeperThan(text, MAX_DEPTH) ? 0 : nestingDepth(text);
  if (depth > MAX_DEPTH) {
    throw new SourceError(
      `document nests about ${depth} levels deep; shipshape refuses more than ${MAX_DEPTH}`,
      1,
      1,
    );
  }
}

/**
 * Parses every document of a YAML (or JSON) file for reading, or throws a SourceError with a
 * position. Plain files take the fast read; anything else (and every error) goes through the
 * `yaml` library, as `parseEditableYamlFile` does.
 */
export function parseYamlFile(file: string, text: string): YamlDocument[] {
  // js-yaml bounds its own recursion: a document nesting deeper than MAX_DEPTH fails the fast
  // read, and the full read refuses it (`refuseDeepNesting`) before the \`yaml\` library recurses.
  const fast = readYamlFast(file, text, MAX_DEPTH);
  if (fast) return fast.map((d) => ({ file, text: "", ...d }));
  return parseEditableYamlFile(file, text);
}

/** Parses every document with the `yaml` library (positions, comments, layout), for edits. */
export function parseEditableYamlFile(file: string, text: string): EditableYamlDocument[] {
  refuseDeepNesting(text);
  const { LineCounter, parseAllDocuments } = yamlLibrary();
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: false,
    }) as Document.Parsed[];
  } catch (e) {
    throw new SourceError(`cannot parse YAML: ${(e as Error).message}`);
  }
  if (!Array.isArray(docs)) docs = [docs as unknown as Document.Parsed];
  const out: EditableYamlDocument[] = [];
  docs.forEach((doc, index) => {
    const err = doc.errors[0];
    if (err) {
      const pos = lineCounter.linePos(err.pos[0]);
      throw new SourceError(`invalid YAML: ${firstLine(err.message)}`, pos.line, pos.col);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      const range = doc.contents?.range ?? doc.range;
      const pos = lineCounter.linePos(range[0]);
      const msg = (e as Error).message;
      throw new SourceError(
        /alias/i.test(msg)
          ? `document expands too many YAML aliases (over ${MAX_ALIASES}); refusing a possible "billion laughs" document`
          : `cannot read YAML: ${firstLine(msg)}`,
        pos.line,
        pos.col,
      );
    }
    const [start, , end] = doc.range;
    const ydoc: EditableYamlDocument = {
      file,
      index,
      doc,
      lineCounter,
      value,
      text: text.slice(start, end),
      firstLine: lineCounter.linePos(start).line,
      locate: (path) => locateIn(ydoc, path),
    };
    out.push(ydoc);
  });
  return out;
}

function firstLine(s: string): string {
  return s.split("\n")[0] ?? s;
}

/**
 * Location of the node at `path`: the key of the last pair when the path names a map entry
 * (so a finding points at `privileged: true`), the item for a sequence index.
 * Returns `undefined` when the path does not exist.
 */
export function locateIn(ydoc: EditableYamlDocument, path: SourcePath): SourceLocation | undefined {
  let node: YamlNode | null | undefined = ydoc.doc.contents as ParsedNode | null;
  let at: [number, number, number] | undefined = node?.range as [number, number, number] | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) return undefined;
      at = ((pair.key as YamlNode).range ?? at) as [number, number, number];
      node = pair.value as YamlNode | null;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg] as YamlNode | undefined;
      if (!item) return undefined;
      at = (item.range ?? at) as [number, number, number];
      node = item;
    } else {
      return undefined;
    }
  }
  if (!at) return undefined;
  const pos = ydoc.lineCounter.linePos(at[0]);
  return { file: ydoc.file, line: pos.line, column: pos.col };
}
