import { readFileSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonReportSchema } from "../../src/report/json-schema";
import { loadKubernetesFile } from "../../src/sources/kubernetes-file";
import { cliProcess, ensureBuilt, fixtureDir, removeDir } from "./helpers";

/** `--fix` through the built CLI, with the catalog's fixable `privileged-container` rule. */
describe("shipshape audit --fix as a process", () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fixtureDir(["privileged.yaml", "clean.yaml", "suppressions.yaml"]);
  });
  afterAll(() => removeDir(dir));

  it("fixes, reports the count, leaves other files untouched, and the fixed file re-audits clean", async () => {
    const old = new Date("2020-01-01T00:00:00Z");
    for (const f of ["clean.yaml", "suppressions.yaml"]) utimesSync(join(dir, f), old, old);
    const args = ["audit", "--rule", "privileged-container", "--format", "json", "."];

    const before = jsonReportSchema.parse(JSON.parse((await cliProcess(args, dir)).stdout));
    expect(before.findings.map((f) => [f.file, f.line, f.ruleId, f.fixable])).toEqual([
      ["privileged.yaml", 12, "privileged-container", true],
    ]);

    const fixed = await cliProcess(["audit", "--fix", ...args.slice(1)], dir);
    expect(fixed.stderr).toBe("");
    const report = jsonReportSchema.parse(JSON.parse(fixed.stdout));
    expect(report.summary.fixesApplied).toBe(1);
    expect(report.findings).toEqual([]);
    expect(fixed.code).toBe(0);

    const text = readFileSync(join(dir, "privileged.yaml"), "utf8");
    expect(text).toMatch(/privileged: false +# needed once, long ago/);
    expect(text.startsWith("# A privileged pod")).toBe(true);
    expect(loadKubernetesFile("privileged.yaml", text).errors).toEqual([]);
    for (const f of ["clean.yaml", "suppressions.yaml"]) {
      expect(statSync(join(dir, f)).mtimeMs, f).toBe(old.getTime());
    }

    const again = await cliProcess(args, dir);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).findings).toEqual([]);
  });
});
