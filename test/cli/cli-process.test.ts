import { readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonReportSchema } from "../../src/report/json-schema";
import { BAD_INPUT_MESSAGES, writeBadInputs } from "./bad-input";
import { BUILT_CLI, cliProcess, ensureBuilt, fixtureDir, removeDir } from "./helpers";

const SUPPRESSION_RULES = "suppression-reason-required,suppression-unused";

/** The built CLI (dist/src/cli/main.js) run as a real process. */
describe("shipshape audit as a process", () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fixtureDir(["suppressions.yaml", "clean.yaml"]);
  });
  afterAll(() => removeDir(dir));

  it("starts with a shebang so the package bin runs under node", () => {
    expect(readFileSync(BUILT_CLI, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("exits 0 on a clean file, 1 on findings, with relative names when run on relative paths", async () => {
    const clean = await cliProcess(["audit", "--rule", SUPPRESSION_RULES, "clean.yaml"], dir);
    expect(clean).toMatchObject({ code: 0, stderr: "" });
    expect(clean.stdout).toContain("0 findings, 0 errors, 1 file audited");
    const found = await cliProcess(["audit", "--rule", SUPPRESSION_RULES, "--format", "json", "."], dir);
    expect(found.code).toBe(1);
    const report = jsonReportSchema.parse(JSON.parse(found.stdout));
    expect(report.findings.map((f) => [f.file, f.line, f.column, f.ruleId])).toEqual([
      ["suppressions.yaml", 8, 5, "suppression-reason-required"],
      ["suppressions.yaml", 9, 5, "suppression-unused"],
    ]);
    const absolute = await cliProcess(
      ["audit", "--rule", SUPPRESSION_RULES, "-f", "json", join(dir, "suppressions.yaml")],
      "/",
    );
    expect(JSON.parse(absolute.stdout).findings[0].file).toBe(join(dir, "suppressions.yaml"));
  });

  it("honours --min-severity in the exit code", async () => {
    const args = ["audit", "--rule", SUPPRESSION_RULES, "suppressions.yaml"];
    expect((await cliProcess([...args, "--min-severity", "medium"], dir)).code).toBe(1);
    expect((await cliProcess([...args, "--min-severity", "high"], dir)).code).toBe(0);
  });

  it("prints every format", async () => {
    const base = ["audit", "--rule", SUPPRESSION_RULES, "suppressions.yaml", "--format"];
    const text = await cliProcess([...base, "text"], dir);
    expect(text.stdout).toContain("suppressions.yaml:8:5: medium:");
    const md = await cliProcess([...base, "markdown"], dir);
    expect(md.stdout).toContain("## Findings");
    const sarif = await cliProcess([...base, "sarif"], dir);
    expect(JSON.parse(sarif.stdout).runs[0].results).toHaveLength(2);
    const junit = await cliProcess([...base, "junit"], dir);
    expect(junit.stdout).toContain('<testsuite name="suppressions.yaml" tests="2" failures="2" errors="0">');
    for (const r of [text, md, sarif, junit]) expect(r.code).toBe(1);
  });

  it("exits 2 with a message for bad options and unknown rule ids", async () => {
    const bad = await cliProcess(["audit", "--profile", "nope", "clean.yaml"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--profile.*Allowed choices are default, baseline, restricted, cis-docker/);
    const rule = await cliProcess(["audit", "--skip-rule", "nope", "clean.yaml"], dir);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/option '--skip-rule' got unknown rule id\(s\) "nope"; valid ids:/);
    const missing = await cliProcess(["audit", "no-such-file.yaml"], dir);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain("no-such-file.yaml:1:1: error: no such file or directory");
  });

  it("reports each kind of bad input per file with a position, exits 2, and still audits the others", async () => {
    const bad = fixtureDir(["suppressions.yaml", "clean.yaml"]);
    try {
      const files = writeBadInputs(bad);
      const old = new Date("2020-01-01T00:00:00Z");
      for (const f of Object.values(files)) utimesSync(join(bad, f), old, old);
      const r = await cliProcess(
        ["audit", "--rule", SUPPRESSION_RULES, "--fix", "--format", "json", "."],
        bad,
      );
      expect(r.stderr).toBe("");
      expect(r.code).toBe(2);
      const report = jsonReportSchema.parse(JSON.parse(r.stdout));
      for (const [kind, file] of Object.entries(files)) {
        const errors = report.errors.filter((e) => e.file === file);
        expect(errors, `${kind}: ${JSON.stringify(report.errors)}`).toHaveLength(1);
        expect(errors[0]?.message).toMatch(BAD_INPUT_MESSAGES[kind] as RegExp);
        expect(errors[0]?.line).toBeGreaterThanOrEqual(1);
        expect(errors[0]?.column).toBeGreaterThanOrEqual(1);
        // --fix never touches a file it could not read.
        expect(statSync(join(bad, file)).mtimeMs).toBe(old.getTime());
      }
      expect(report.errors.find((e) => e.file === files.malformed)).toMatchObject({ line: 5, column: 1 });
      expect(report.errors.find((e) => e.file === files.unparseable)?.line).toBeGreaterThan(1);
      // The good files were audited all the same.
      expect(report.findings.map((f) => f.file)).toEqual(["suppressions.yaml", "suppressions.yaml"]);
      expect(report.summary.filesAudited).toBe(2 + Object.keys(files).length);

      // A kind no rule checks is counted as not audited; --strict-kinds makes it an error.
      writeFileSync(
        join(bad, "widget.yaml"),
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: gadget\n",
      );
      const counted = await cliProcess(["audit", "-f", "json", "widget.yaml"], bad);
      expect(counted.code).toBe(0);
      expect(JSON.parse(counted.stdout).summary.notAudited).toEqual({
        objects: 1,
        kinds: { "example.com/Widget": 1 },
      });
      const strict = await cliProcess(["audit", "--strict-kinds", "-f", "json", "widget.yaml"], bad);
      expect(strict.code).toBe(2);
      expect(JSON.parse(strict.stdout).errors).toEqual([
        expect.objectContaining({
          file: "widget.yaml",
          line: 2,
          column: 1,
          message: expect.stringContaining('kind "Widget"'),
        }),
      ]);
    } finally {
      removeDir(bad);
    }
  });
});
