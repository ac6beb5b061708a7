/** A JSON syntax error and where it is (0-based offset into the text). */
export interface JsonSyntaxError {
  message: string;
  offset: number;
}

const MAX_DEPTH = 256;

/**
 * Checks that `text` is strict JSON (RFC 8259, as dockerd reads `daemon.json`: no comments, no
 * trailing commas) and says where the first error is. `JSON.parse` does not always give a
 * position, and the YAML parser accepts more than JSON, hence this small scanner.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (message: string, at = i): JsonSyntaxError => ({ message, offset: at });
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const describeHere = () => (i >= text.length ? "end of file" : `"${text[i]}"`);

  const string = (): JsonSyntaxError | undefined => {
    const start = i;
    i++; // opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c < 0x20) return fail("control character inside a string; escape it (\\n, \\t, \\u00XX)");
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            return fail("bad \\u escape: needs four hex digits");
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) return fail(`bad escape "\\${e ?? ""}" in a string`);
        i += 2;
        continue;
      }
      i++;
    }
    return fail("string is never closed; add the closing quote", start);
  };

  const value = (depth: number): JsonSyntaxError | undefined => {
    if (depth > MAX_DEPTH) return fail(`nesting deeper than ${MAX_DEPTH} levels`);
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return undefined;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') {
          if (text[i] === "/" || text[i] === "#")
            return fail("comments are not allowed in JSON; remove them");
          return fail(
            text[i] === "}"
              ? "trailing comma before }; JSON allows none — remove it"
              : `expected a double-quoted key, found ${describeHere()}`,
          );
        }
        const e = string();
        if (e) return e;
        ws();
        if (text[i] !== ":") return fail(`expected ":" after the key, found ${describeHere()}`);
        i++;
        const v = value(depth + 1);
        if (v) return v;
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return undefined;
        }
        return fail(`expected "," or "}" after a value, found ${describeHere()}`);
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return undefined;
      }
      for (;;) {
        ws();
        if (text[i] === "]") return fail("trailing comma before ]; JSON allows none — remove it");
        const v = value(depth + 1);
        if (v) return v;
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return undefined;
        }
        return fail(`expected "," or "]" after a value, found ${describeHere()}`);
      }
    }
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(i, i + 64),
    );
    if (literal) {
      i += literal[0].length;
      return undefined;
    }
    if (c === "/" || c === "#") return fail("comments are not allowed in JSON; remove them");
    return fail(`expected a value, found ${describeHere()}`);
  };

  ws();
  if (i >= text.length) return fail("empty file; daemon.json must hold a JSON object such as {}");
  if (text[i] !== "{") return fail("daemon.json must be a JSON object ({ … })");
  const e = value(0);
  if (e) return e;
  ws();
  if (i < text.length) return fail(`unexpected ${describeHere()} after the end of the JSON object`);
  return undefined;
}
