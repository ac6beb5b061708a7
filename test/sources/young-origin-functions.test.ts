import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");

interface Seen {
  where: string;
  name: string;
  young: boolean;
}

/**
 * The functions loaders put on objects and origins (`resolve`, `sourcePath`, `isUnknown`,
 * `applyFixes`) hold their file's parsed values. Allocated in the old generation (as V8 does
 * with a function literal assigned straight to a property), each one kept those values alive
 * through every scavenge: see `Origin.resolve` in src/model/source.ts.
 */
describe("functions the loaders attach to objects", () => {
  it("are allocated in the young generation, for every format and the Pulumi adapters", () => {
    const out = execFileSync(
      process.execPath,
      [
        "--allow-natives-syntax",
        // A young generation large enough that no scavenge moves anything during the probe.
        "--min-semi-space-size=64",
        "--import",
        "tsx",
        join(__dirname, "young-functions-probe.ts"),
      ],
      { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
    );
    const seen = JSON.parse(out) as Seen[];
    const names = new Set(seen.map((s) => `${s.where.split(" ")[0]} ${s.name}`));
    // What the probe must have looked at, so that it cannot pass by finding nothing.
    for (const expected of [
      "app.yaml resolve",
      "app.yaml sourcePath",
      "app.yaml applyFixes",
      "compose.yaml resolve",
      "compose.yaml sourcePath",
      "compose.yaml applyFixes",
      "pulumi isUnknown",
      "pulumi sourcePath",
    ]) {
      expect(names, expected).toContain(expected);
    }
    expect(seen.filter((s) => !s.young)).toEqual([]);
  });
});
