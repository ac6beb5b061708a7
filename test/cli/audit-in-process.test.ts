import { readFileSync, statSync, utimesSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyFixes } from "../../src/audit/apply-fixes";
import { auditPaths } from "../../src/audit/audit-paths";
import { jsonReportSchema } from "../../src/report/json-schema";
import { loadKubernetesFile } from "../../src/sources/kubernetes-file";
import { cliInProcess, fixtureDir, removeDir, testEveryWorkloadRule, testPrivilegedRule } from "./helpers";

const SUPPRESSION_RULES = "suppression-reason-required,suppression-unused";

describe("shipshape audit in-process", () => {
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir(["suppressions.yaml", "clean.yaml", "privileged.yaml"]);
  });
  afterAll(() => removeDir(dir));

  const json = (args: string[]) => {
    const r = cliInProcess(["audit", "--format", "json", "--rule", SUPPRESSION_RULES, ...args]);
    return { ...r, report: jsonReportSchema.parse(JSON.parse(r.stdout)) };
  };

  it("reports findings with file, line and column in the text format and exits 1", () => {
    const r = cliInProcess(["audit", "--rule", SUPPRESSION_RULES, join(dir, "suppressions.yaml")]);
    expect(r.code).toBe(1);
    const file = join(dir, "suppressions.yaml");
    expect(r.stdout).toContain(
      `${file}:8:5: medium: suppression of privileged-container has a reason shorter`,
    );
    expect(r.stdout).toContain(`${file}:9:5: low: suppression of host-network matches no finding`);
    expect(r.stdout).toMatch(/2 findings \(1 medium, 1 low\), 0 errors, 1 file audited\n$/);
  });

  it("exits 0 on a clean file", () => {
    const r = cliInProcess(["audit", "--rule", SUPPRESSION_RULES, join(dir, "clean.yaml")]);
    expect(r.stdout).toContain("0 findings, 0 errors, 1 file audited");
    expect(r.code).toBe(0);
  });

  it("keeps file names as given: absolute stays absolute, relative stays relative", () => {
    const absolute = json([join(dir, "suppressions.yaml")]).report;
    expect(absolute.findings.map((f) => f.file)).toEqual([
      join(dir, "suppressions.yaml"),
      join(dir, "suppressions.yaml"),
    ]);
    const rel = relative(process.cwd(), join(dir, "suppressions.yaml"));
    const relativeRun = json([rel]).report;
    expect(relativeRun.findings[0]?.file).toBe(rel);
    // A directory given relatively yields relative names of the files inside it.
    const relDir = relative(process.cwd(), dir);
    const walked = json([relDir]).report;
    expect(walked.findings[0]?.file).toBe(join(relDir, "suppressions.yaml"));
    expect(walked.summary.filesAudited).toBe(3);
  });

  it("drops findings below --min-severity, and exits 0 when none is left", () => {
    const medium = json(["--min-severity", "medium", join(dir, "suppressions.yaml")]);
    expect(medium.report.findings.map((f) => f.ruleId)).toEqual(["suppression-reason-required"]);
    expect(medium.code).toBe(1);
    const high = json(["--min-severity", "high", join(dir, "suppressions.yaml")]);
    expect(high.report.findings).toEqual([]);
    expect(high.report.summary.minSeverity).toBe("high");
    expect(high.code).toBe(0);
  });

  it("selects rules with --rule and --skip-rule, repeated or comma-separated", () => {
    const file = join(dir, "suppressions.yaml");
    const only = cliInProcess(["audit", "-f", "json", "--rule", "suppression-unused", file]);
    expect(JSON.parse(only.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      "suppression-unused",
    ]);
    const repeated = json(["--rule", "suppression-unused", file]);
    expect(repeated.report.findings).toHaveLength(2);
    const skipped = json(["--skip-rule", "suppression-unused", file]);
    expect(skipped.report.findings.map((f) => f.ruleId)).toEqual(["suppression-reason-required"]);
    const both = json(["--skip-rule", "suppression-unused,suppression-reason-required", file]);
    expect(both.report.findings).toEqual([]);
    expect(both.code).toBe(0);
  });

  it("exits 2 naming the option and the valid values for bad option values", () => {
    const file = join(dir, "clean.yaml");
    const format = cliInProcess(["audit", "--format", "yaml", file]);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format.*'yaml' is invalid.*text, json, markdown, sarif, junit, html/);
    const profile = cliInProcess(["audit", "--profile", "strict", file]);
    expect(profile.code).toBe(2);
    expect(profile.stderr).toMatch(/--profile.*default, baseline, restricted, cis-docker/);
    const severity = cliInProcess(["audit", "--min-severity", "severe", file]);
    expect(severity.code).toBe(2);
    expect(severity.stderr).toMatch(/--min-severity.*info, low, medium, high, critical/);
    const rule = cliInProcess(["audit", "--rule", "suppression-unused,no-such-rule", file]);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(
      /option '--rule' got unknown rule id\(s\) "no-such-rule"; valid ids: .*suppression-unused/,
    );
    const skip = cliInProcess(["audit", "--skip-rule", "nope", file]);
    expect(skip.code).toBe(2);
    expect(skip.stderr).toContain("option '--skip-rule'");
    const noPaths = cliInProcess(["audit"]);
    expect(noPaths.code).toBe(2);
    expect(noPaths.stderr).toContain("missing required argument 'paths'");
    expect(rule.stdout).toBe("");
  });

  it("writes the report to --output instead of standard output", () => {
    const out = join(dir, "report.out");
    const r = cliInProcess([
      "audit",
      "-f",
      "markdown",
      "--rule",
      SUPPRESSION_RULES,
      "-o",
      out,
      join(dir, "suppressions.yaml"),
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const text = readFileSync(out, "utf8");
    expect(text).toContain(
      "| medium | [`suppression-reason-required`](RULES.md#suppression-reason-required) |",
    );
  });

  it("lists the catalog with `shipshape rules`", () => {
    const r = cliInProcess(["rules", "--format", "json"]);
    expect(r.code).toBe(0);
    const ids = (JSON.parse(r.stdout) as { id: string }[]).map((x) => x.id);
    expect(ids).toContain("suppression-unused");
    const text = cliInProcess(["rules"]);
    expect(text.stdout).toMatch(/^suppression-reason-required\s+medium\s+Suppressions say why$/m);
  });
});

describe("audit --fix (in-process, with a test-only fixable rule)", () => {
  it("rewrites only files with fixable findings, keeps comments, and the result re-audits clean", () => {
    const dir = fixtureDir(["privileged.yaml", "clean.yaml", "suppressions.yaml"]);
    try {
      const options = { rules: [testPrivilegedRule, testEveryWorkloadRule] };
      const old = new Date("2020-01-01T00:00:00Z");
      for (const f of ["clean.yaml", "suppressions.yaml"]) utimesSync(join(dir, f), old, old);
      const before = {
        clean: readFileSync(join(dir, "clean.yaml"), "utf8"),
        suppressions: readFileSync(join(dir, "suppressions.yaml"), "utf8"),
      };
      const run = auditPaths([dir], options);
      expect(run.findings.map((f) => [relative(dir, f.file), f.ruleId])).toEqual([
        ["privileged.yaml", "test-every-workload"],
        ["privileged.yaml", "test-privileged"],
        ["suppressions.yaml", "test-every-workload"],
      ]);
      expect(run.findings[1]).toMatchObject({ line: 12, column: 9, fix: [expect.anything()] });
      const outcome = applyFixes(run, options);
      expect(outcome.errors).toEqual([]);
      expect(outcome.fixed).toEqual([{ file: join(dir, "privileged.yaml"), fixes: 1 }]);

      const fixed = readFileSync(join(dir, "privileged.yaml"), "utf8");
      expect(fixed).toContain("# A privileged pod: the comment");
      expect(fixed).toContain("privileged: false # needed once, long ago");
      expect(fixed).toContain("labels: { team: ops, tier: tools }");
      expect(loadKubernetesFile("privileged.yaml", fixed).errors).toEqual([]);

      // Files with findings but no fix, and files without findings, are untouched.
      for (const f of ["clean.yaml", "suppressions.yaml"] as const) {
        expect(statSync(join(dir, f)).mtimeMs).toBe(old.getTime());
      }
      expect(readFileSync(join(dir, "clean.yaml"), "utf8")).toBe(before.clean);
      expect(readFileSync(join(dir, "suppressions.yaml"), "utf8")).toBe(before.suppressions);

      const again = auditPaths([dir], options);
      expect(again.errors).toEqual([]);
      expect(again.findings.filter((f) => f.ruleId === "test-privileged")).toEqual([]);
      expect(again.findings.filter((f) => f.ruleId === "test-every-workload")).toHaveLength(2);
      // A second fix pass has nothing left to do.
      expect(applyFixes(again, options).fixed).toEqual([]);
    } finally {
      removeDir(dir);
    }
  });
});
