import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BufferedFileWriter } from "../../src/audit/atomic-write";

const dir = mkdtempSync(join(tmpdir(), "shipshape-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bytes the writer puts in a file for `pieces`, with a block of `blockBytes`. */
function written(pieces: readonly string[], blockBytes: number): Buffer {
  const file = join(dir, `out-${Math.random().toString(36).slice(2)}`);
  const fd = openSync(file, "w");
  try {
    const writer = new BufferedFileWriter(fd, blockBytes);
    for (const p of pieces) writer.write(p);
    writer.flush();
  } finally {
    closeSync(fd);
  }
  return readFileSync(file);
}

/** What joining the pieces and encoding the whole text gives: the writer must give the same. */
const joined = (pieces: readonly string[]) => Buffer.from(pieces.join(""), "utf8");

describe("BufferedFileWriter", () => {
  it("writes the UTF-8 of the joined pieces, across block boundaries", () => {
    const pieces = ["{", '"a":"plain"', ",", '"b":"— two-byte ≥"', "é", "x".repeat(100), "}\n"];
    for (const block of [8, 16, 64, 1 << 20]) expect(written(pieces, block)).toEqual(joined(pieces));
  });

  it("encodes a surrogate pair split between two pieces as one character", () => {
    const emoji = "🛡"; // U+1F6E1, two UTF-16 code units
    const pieces = [`a${emoji.charAt(0)}`, `${emoji.charAt(1)}b`];
    const out = written(pieces, 64);
    expect(out).toEqual(Buffer.from(`a${emoji}b`, "utf8"));
    expect(out.toString("utf8")).toBe(`a${emoji}b`);
  });

  it("writes lone surrogates as the replacement character, as encoding the joined text does", () => {
    for (const pieces of [
      ["end\ud800"],
      ["\udc00start"],
      ["a\ud800", "b"],
      ["a\ud800", "\ud800", "\udc00"],
      ["\ud83d"],
    ]) {
      expect(written(pieces, 16)).toEqual(joined(pieces));
    }
  });

  it("writes pieces larger than the block, and empty pieces", () => {
    const pieces = ["", "head ", "é".repeat(5000), "", "🛡".repeat(3000), " tail", ""];
    expect(written(pieces, 256)).toEqual(joined(pieces));
  });

  it("matches the joined text for random pieces of mixed characters", () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = ["a", "Z", "\n", "é", "—", "≥", "🛡", "\ud800", "\udc00", '"', "\\"];
    for (let round = 0; round < 50; round++) {
      const pieces: string[] = [];
      for (let i = next() % 40; i > 0; i--) {
        let piece = "";
        for (let j = next() % 30; j > 0; j--) piece += alphabet[next() % alphabet.length];
        pieces.push(piece);
      }
      expect(written(pieces, 32 + (next() % 64))).toEqual(joined(pieces));
    }
  });
});
