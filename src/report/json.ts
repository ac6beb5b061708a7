import { z } from "zod";
import { SEVERITIES } from "../rules/rule";
import type { AuditReport } from "./report";

/** Version of the JSON format; raised on any change that could break a reader (docs/json-format.md). */
export const JSON_FORMAT_VERSION = 1;

const severity = z.enum(SEVERITIES);
const ids = z.array(z.string()).optional();
const references = z
  .object({ pss: ids, cis: ids, kubeLinter: ids, checkov: ids, polaris: ids, kics: ids, hadolint: ids })
  .strict();
const count = z.number().int().nonnegative();

/** The JSON output, as documented in docs/json-format.md. */
export const jsonReportSchema = z
  .object({
    version: z.literal(JSON_FORMAT_VERSION),
    findings: z.array(
      z
        .object({
          ruleId: z.string().min(1),
          severity,
          message: z.string().min(1),
          file: z.string().min(1),
          line: z.number().int().positive(),
          column: z.number().int().positive(),
          object: z.string(),
          references,
          fixable: z.boolean(),
        })
        .strict(),
    ),
    errors: z.array(
      z
        .object({
          file: z.string().min(1),
          message: z.string().min(1),
          line: z.number().int().positive(),
          column: z.number().int().positive(),
        })
        .strict(),
    ),
    summary: z
      .object({
        filesAudited: count,
        filesSkipped: count,
        filesWithFindings: count,
        filesWithErrors: count,
        findings: count,
        errors: count,
        bySeverity: z
          .object({ info: count, low: count, medium: count, high: count, critical: count })
          .strict(),
        profile: z.string(),
        minSeverity: severity,
        fixesApplied: count.optional(),
      })
      .strict(),
  })
  .strict();

export type JsonReport = z.infer<typeof jsonReportSchema>;

/** Builds the JSON document (see docs/json-format.md). */
export function toJsonReport(report: AuditReport): JsonReport {
  return {
    version: JSON_FORMAT_VERSION,
    findings: report.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      file: f.file,
      line: f.line,
      column: f.column,
      object: f.object,
      references: f.references,
      fixable: (f.fix?.length ?? 0) > 0,
    })),
    errors: report.errors.map((e) => ({
      file: e.file,
      message: e.message,
      line: e.line ?? 1,
      column: e.column ?? 1,
    })),
    summary: { ...report.summary },
  };
}

/**
 * One JSON document on one line: reports of large trees run to tens of thousands of findings,
 * and indentation would add 40% to their size and their printing time (pipe it to `jq` to read).
 */
export function jsonReport(report: AuditReport): string {
  return `${JSON.stringify(toJsonReport(report))}\n`;
}
