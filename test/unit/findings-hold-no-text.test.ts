import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");

function probe(files: number): { findings: number; texts: number } {
  const out = execFileSync(
    process.execPath,
    ["--import", "tsx", join(__dirname, "findings-hold-no-text-probe.ts"), String(files)],
    { cwd: ROOT, encoding: "utf8", timeout: 120_000 },
  );
  return JSON.parse(out) as { findings: number; texts: number };
}

/**
 * The findings an audit holds until its report keep no file's text alive: their messages and
 * object names are strings of their own, not trees of slices of the texts (`ownString`).
 * Before, every file with a finding stayed in memory (41 texts held after 40 files).
 */
describe("findings held for the report", () => {
  it("hold no file's text: the texts still in the heap do not grow with the files", () => {
    const few = probe(40);
    const more = probe(80);
    // Every file has findings (a Deployment with no limits, a latest tag, …).
    expect(few.findings).toBeGreaterThanOrEqual(40);
    expect(more.findings).toBe(2 * few.findings);
    // What the engine still holds of the last file or two read, not one text per file.
    expect(more.texts).toBe(few.texts);
    expect(few.texts).toBeLessThanOrEqual(2);
  });
});
