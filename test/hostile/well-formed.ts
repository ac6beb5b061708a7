import { execFile } from "node:child_process";
import { createReadStream } from "node:fs";

/**
 * Well-formedness checks for report files too large to hold as one string (a SARIF log of a
 * million results is about 650 MB, over V8's longest string): each reads its file as a stream.
 */

enum State {
  /** A value is required (document start, after `:` or after `,` in an array). */
  Value,
  /** After `[`: a value or `]`. */
  ValueOrEnd,
  /** After `{`: a key or `}`. */
  KeyOrEnd,
  /** After `,` in an object: a key. */
  Key,
  Colon,
  CommaOrEnd,
  /** The top-level value is complete: only whitespace may follow. */
  Done,
}

const TOKEN = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;
const isTokenByte = (b: number) =>
  (b >= 0x30 && b <= 0x39) ||
  (b >= 0x61 && b <= 0x7a) ||
  (b >= 0x41 && b <= 0x5a) ||
  b === 0x2e ||
  b === 0x2b ||
  b === 0x2d;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const ESCAPES = new Set([...'"\\/bfnrtu'].map((c) => c.charCodeAt(0)));
const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46);

/**
 * A streaming JSON (RFC 8259) grammar check: throws naming the byte offset of the first error;
 * returns how many times each object key occurs (keys up to 64 bytes are told apart).
 */
export class JsonChecker {
  readonly keys = new Map<string, number>();
  private state = State.Value;
  private readonly stack: number[] = [];
  private inString = false;
  private stringIsKey = false;
  private escape = false;
  private hex = 0;
  private key: number[] = [];
  private token = "";
  private offset = 0;

  feed(chunk: Uint8Array): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      // Fast paths over what most of a report is: string contents and indentation.
      let j = i;
      if (this.inString && !this.escape && this.hex === 0) {
        for (; j < n; j++) {
          const b = chunk[j] as number;
          if (b === 0x22 || b === 0x5c || b < 0x20) break;
        }
        if (this.stringIsKey)
          for (let k = i; k < j && this.key.length < 64; k++) this.key.push(chunk[k] as number);
      } else if (this.token !== "") {
        for (; j < n && isTokenByte(chunk[j] as number); j++);
        this.token += Buffer.from(chunk.buffer, chunk.byteOffset + i, j - i).toString("latin1");
      } else if (!this.inString) {
        for (; j < n; j++) {
          const b = chunk[j] as number;
          if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) break;
        }
      }
      this.offset += j - i;
      i = j;
      if (i >= n) break;
      this.byte(chunk[i] as number);
      i++;
      this.offset++;
    }
  }

  /** The document is complete; throws if it is not. */
  end(): Map<string, number> {
    if (this.token !== "") this.endToken();
    if (this.inString || this.state !== State.Done) this.fail("the document ends early");
    return this.keys;
  }

  private fail(why: string): never {
    throw new Error(`not well-formed JSON at byte ${this.offset}: ${why}`);
  }

  private afterValue(): void {
    this.state = this.stack.length === 0 ? State.Done : State.CommaOrEnd;
  }

  private endToken(): void {
    if (!TOKEN.test(this.token)) this.fail(`bad literal ${JSON.stringify(this.token.slice(0, 40))}`);
    this.token = "";
    this.afterValue();
  }

  private byte(b: number): void {
    if (this.inString) {
      if (this.hex > 0) {
        if (!isHex(b)) this.fail("bad \\u escape");
        this.hex--;
      } else if (this.escape) {
        if (!ESCAPES.has(b)) this.fail("bad escape");
        if (b === 0x75) this.hex = 4;
        this.escape = false;
      } else if (b === 0x5c) this.escape = true;
      else if (b === 0x22) {
        this.inString = false;
        if (this.stringIsKey) {
          const name = Buffer.from(this.key).toString("utf8");
          this.keys.set(name, (this.keys.get(name) ?? 0) + 1);
          this.state = State.Colon;
        } else this.afterValue();
      } else if (b < 0x20) this.fail("raw control character in a string");
      if (this.stringIsKey && this.inString && this.key.length < 64) this.key.push(b);
      return;
    }
    if (this.token !== "") {
      if (isTokenByte(b)) {
        this.token += String.fromCharCode(b);
        return;
      }
      this.endToken();
    }
    if (isSpace(b)) return;
    switch (this.state) {
      case State.Value:
      case State.ValueOrEnd:
        if (b === 0x7b) {
          this.stack.push(b);
          this.state = State.KeyOrEnd;
        } else if (b === 0x5b) {
          this.stack.push(b);
          this.state = State.ValueOrEnd;
        } else if (b === 0x22) {
          this.inString = true;
          this.stringIsKey = false;
        } else if (b === 0x2d || (b >= 0x30 && b <= 0x39) || b === 0x74 || b === 0x66 || b === 0x6e)
          this.token = String.fromCharCode(b);
        else if (b === 0x5d && this.state === State.ValueOrEnd) {
          this.stack.pop();
          this.afterValue();
        } else this.fail(`unexpected ${JSON.stringify(String.fromCharCode(b))} where a value belongs`);
        return;
      case State.KeyOrEnd:
      case State.Key:
        if (b === 0x22) {
          this.inString = true;
          this.stringIsKey = true;
          this.key = [];
        } else if (b === 0x7d && this.state === State.KeyOrEnd) {
          this.stack.pop();
          this.afterValue();
        } else this.fail("a key must be a string");
        return;
      case State.Colon:
        if (b !== 0x3a) this.fail("expected ':'");
        this.state = State.Value;
        return;
      case State.CommaOrEnd: {
        const top = this.stack[this.stack.length - 1];
        if (b === 0x2c) this.state = top === 0x7b ? State.Key : State.Value;
        else if ((b === 0x7d && top === 0x7b) || (b === 0x5d && top === 0x5b)) {
          this.stack.pop();
          this.afterValue();
        } else this.fail(`expected ',' or the end of the ${top === 0x7b ? "object" : "array"}`);
        return;
      }
      case State.Done:
        this.fail("text after the document");
    }
  }
}

/** Checks the JSON file at `path` as a stream (see `JsonChecker`); resolves to its key counts. */
export async function checkJsonFile(path: string): Promise<Map<string, number>> {
  const checker = new JsonChecker();
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) checker.feed(chunk as Buffer);
  return checker.end();
}

/**
 * Parses the XML file at `path` with Python's expat (a real, streaming XML parser; python3 is
 * installed by setup) and resolves to how many times each element occurs. Rejects with the
 * parser's message (line and column) when the file is not well-formed XML.
 */
export function checkXmlFile(path: string): Promise<Record<string, number>> {
  const script = [
    "import collections, json, sys, xml.parsers.expat",
    "counts = collections.Counter()",
    "p = xml.parsers.expat.ParserCreate()",
    "p.StartElementHandler = lambda name, attrs: counts.update((name,))",
    "try:",
    "    p.ParseFile(open(sys.argv[1], 'rb'))",
    "except xml.parsers.expat.ExpatError as e:",
    "    sys.exit(f'{sys.argv[1]}:{e.lineno}:{e.offset}: {xml.parsers.expat.errors.messages[e.code]}')",
    "print(json.dumps(counts))",
  ].join("\n");
  return new Promise((resolve, reject) => {
    execFile("python3", ["-c", script, path], { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) {
        const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
        reject(
          new Error(
            missing
              ? "python3 is not installed (scripts/docker-engine.sh installs it): it parses the XML reports"
              : `not well-formed XML: ${stderr.trim().split("\n").pop()}`,
          ),
        );
      } else resolve(JSON.parse(stdout) as Record<string, number>);
    });
  });
}

/** Elements HTML defines as void: no end tag. */
const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
]);

/**
 * Checks an HTML page as shipshape writes it: a doctype, then tags that nest and close (void
 * elements aside), no `<` or `>` outside a tag (text is escaped), every `&` starting an entity;
 * `<style>`'s content is skipped. Resolves to how many times each element opens.
 */
export async function checkHtmlFile(path: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const stack: string[] = [];
  let carry = "";
  let inStyle = false;
  let started = false;
  let read = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed HTML (in the chunk read from character ${read}): ${why}`);
  };
  const text = (t: string) => {
    if (t.length === 0) return;
    if (t.includes(">")) fail(`a raw '<' or '>' in text: ${JSON.stringify(t.slice(0, 80))}`);
    if (t.includes("&") && t.replace(/&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);/g, "").includes("&"))
      fail(`an '&' that starts no entity: ${JSON.stringify(t.slice(0, 80))}`);
  };
  const consume = (input: string, final: boolean): string => {
    let at = 0;
    for (;;) {
      if (inStyle) {
        const close = input.indexOf("</style>", at);
        if (close < 0) return input.slice(at);
        at = close;
        inStyle = false;
      }
      const open = input.indexOf("<", at);
      if (open < 0) {
        if (final) text(input.slice(at));
        else {
          // Text may end in the middle of an entity: keep the tail for the next chunk.
          const amp = input.lastIndexOf("&");
          const keep = amp >= at && input.indexOf(";", amp) < 0 ? amp : input.length;
          text(input.slice(at, keep));
          return input.slice(keep);
        }
        return "";
      }
      text(input.slice(at, open));
      const close = input.indexOf(">", open);
      if (close < 0) {
        if (final) fail("a tag that never closes");
        return input.slice(open);
      }
      const tag = input.slice(open, close + 1);
      if (tag.indexOf("<", 1) > 0) fail(`a raw '<' in text before ${JSON.stringify(tag.slice(0, 80))}`);
      at = close + 1;
      if (!started) {
        if (tag !== "<!DOCTYPE html>") fail(`the page starts with ${tag.slice(0, 40)}, not a doctype`);
        started = true;
        continue;
      }
      const m = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?>$/.exec(tag);
      if (!m) fail(`a malformed tag ${JSON.stringify(tag.slice(0, 80))}`);
      const [, closing, rawName, attributes] = m as RegExpExecArray;
      const name = (rawName as string).toLowerCase();
      if (attributes?.includes('"') && (attributes.match(/"/g)?.length ?? 0) % 2 !== 0)
        fail(`an attribute quote left open in ${JSON.stringify(tag.slice(0, 80))}`);
      if (closing) {
        const top = stack.pop();
        if (top !== name) fail(`</${name}> closes <${top ?? "nothing"}>`);
      } else {
        counts.set(name, (counts.get(name) ?? 0) + 1);
        if (name === "style") inStyle = true;
        if (!VOID.has(name) && !tag.endsWith("/>")) stack.push(name);
      }
    }
  };
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    carry = consume(carry + (chunk as string), false);
    read += (chunk as string).length;
  }
  consume(carry, true);
  if (!started) fail("an empty page");
  if (stack.length > 0) fail(`elements left open: ${stack.join(" > ")}`);
  return counts;
}
