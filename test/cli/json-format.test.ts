import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditPaths } from "../../src/audit/audit-paths";
import { JSON_FORMAT_VERSION, jsonReport, toJsonReport } from "../../src/report/json";
import { jsonReportSchema } from "../../src/report/json-schema";
import { summarize } from "../../src/report/report";
import { REFERENCE_FRAMEWORKS } from "../../src/rules/rule";
import { cliInProcess, fixtureDir, ROOT, removeDir } from "./helpers";

describe("JSON format", () => {
  let dir: string;
  let output: unknown;
  beforeAll(() => {
    dir = fixtureDir(["suppressions.yaml", "broken.yaml"]);
    const r = cliInProcess(["audit", "-f", "json", "--rule", "suppression-reason-required", dir]);
    expect(r.code).toBe(2);
    output = JSON.parse(r.stdout);
  });
  afterAll(() => removeDir(dir));

  it("matches the documented schema, version 1", () => {
    const report = jsonReportSchema.parse(output);
    expect(report.version).toBe(JSON_FORMAT_VERSION);
    expect(report.findings).toEqual([
      {
        ruleId: "suppression-reason-required",
        severity: "medium",
        message: expect.stringContaining('("tiny")'),
        file: join(dir, "suppressions.yaml"),
        line: 8,
        column: 5,
        object: "Deployment web/shop",
        references: {},
        fixable: false,
      },
    ]);
    expect(report.errors).toEqual([
      { file: join(dir, "broken.yaml"), message: expect.stringMatching(/^invalid YAML/), line: 5, column: 1 },
    ]);
    expect(report.summary).toMatchObject({ filesAudited: 2, findings: 1, errors: 1, filesWithErrors: 1 });
    expect(report.summary.bySeverity.medium).toBe(1);
  });

  it("has a schema that refuses what the documentation does not allow", () => {
    const report = jsonReportSchema.parse(output);
    expect(jsonReportSchema.safeParse({ ...report, version: 2 }).success).toBe(false);
    const finding = report.findings[0];
    expect(jsonReportSchema.safeParse({ ...report, findings: [{ ...finding, line: 0 }] }).success).toBe(
      false,
    );
    expect(
      jsonReportSchema.safeParse({ ...report, findings: [{ ...finding, severity: "severe" }] }).success,
    ).toBe(false);
    expect(jsonReportSchema.safeParse({ ...report, errors: [{ file: "x", message: "y" }] }).success).toBe(
      false,
    );
  });

  it("knows every reference framework, and docs/json-format.md documents every field", () => {
    const shape = jsonReportSchema.shape;
    const referenceKeys = Object.keys(shape.findings.element.shape.references.shape);
    expect(referenceKeys.sort()).toEqual([...REFERENCE_FRAMEWORKS].sort());
    const docs = readFileSync(join(ROOT, "docs", "json-format.md"), "utf8");
    const fields = [
      ...Object.keys(shape),
      ...Object.keys(shape.findings.element.shape),
      ...Object.keys(shape.errors.element.shape),
      ...Object.keys(shape.summary.shape),
      ...referenceKeys,
    ];
    for (const field of fields) expect(docs, field).toContain(`\`${field}\``);
    expect(docs).toContain(`## Version ${JSON_FORMAT_VERSION}`);
  });
});

describe("JSON report text", () => {
  it("is exactly JSON.stringify of the report object, findings and errors included", () => {
    const dir = fixtureDir();
    try {
      const run = auditPaths([dir]);
      expect(run.findings.length).toBeGreaterThan(5);
      expect(run.findings.some((f) => (f.fix?.length ?? 0) > 0)).toBe(true);
      expect(run.errors.length).toBeGreaterThan(0);
      const report = {
        findings: run.findings,
        errors: run.errors,
        rules: run.rules,
        files: run.files.map((f) => f.file),
        summary: summarize({
          findings: run.findings,
          errors: run.errors,
          filesAudited: run.files.length,
          filesSkipped: run.skipped,
          profile: "default",
          minSeverity: "info",
        }),
      };
      expect(jsonReport(report)).toBe(`${JSON.stringify(toJsonReport(report))}\n`);
    } finally {
      removeDir(dir);
    }
  });
});
