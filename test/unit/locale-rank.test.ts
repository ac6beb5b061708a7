import { describe, expect, it } from "vitest";
import { localeRanks } from "../../src/engine/locale-rank";

const NAMES = [
  "b.yaml",
  "a.yaml",
  "B.yaml",
  "á.yaml",
  "a\u0301.yaml",
  "a-b/c.yaml",
  "a_b/c.yaml",
  "a/b.yaml",
  "A/b.yaml",
  "z10.yaml",
  "z9.yaml",
  "",
  "ü/x",
  "u/x",
  "日本.yaml",
  "b.yaml",
];

describe("locale ranks", () => {
  it("order every pair exactly as localeCompare does, equal-collating strings sharing a rank", () => {
    const ranks = localeRanks(NAMES);
    for (const a of NAMES)
      for (const b of NAMES) {
        const byRank = Math.sign((ranks.get(a) as number) - (ranks.get(b) as number));
        expect({ a, b, order: byRank }).toEqual({ a, b, order: Math.sign(a.localeCompare(b)) });
      }
  });

  it("gives one rank per distinct string, from 0 up", () => {
    const ranks = localeRanks(["x", "y", "x"]);
    expect([...ranks.entries()]).toEqual([
      ["x", 0],
      ["y", 1],
    ]);
  });
});
