import type { JsonReport } from "./json-schema";
import { type AuditReport, collectReport, type ReportSink } from "./report";

export type { JsonReport } from "./json-schema";

/** Version of the JSON format; raised on any change that could break a reader (docs/json-format.md). */
export const JSON_FORMAT_VERSION = 1;

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
 * Written finding by finding, with each rule's references and each file name serialized once:
 * the same text as `JSON.stringify(toJsonReport(report))`, without the intermediate objects.
 */
export function writeJsonReport(report: AuditReport, write: ReportSink): void {
  const { version, errors, summary } = toJsonReport({ ...report, findings: [] });
  write(JSON.stringify({ version, findings: [] }).slice(0, -2));
  const once = new Map<unknown, string>();
  const json = (value: unknown): string => {
    let text = once.get(value);
    if (text === undefined) {
      text = JSON.stringify(value);
      once.set(value, text);
    }
    return text;
  };
  report.findings.forEach((f, i) => {
    write(
      `${i === 0 ? "" : ","}{"ruleId":${json(f.ruleId)},"severity":${json(f.severity)},"message":${JSON.stringify(f.message)},"file":${json(f.file)},"line":${f.line},"column":${f.column},"object":${json(f.object)},"references":${json(f.references)},"fixable":${(f.fix?.length ?? 0) > 0}}`,
    );
  });
  write(`],${JSON.stringify({ errors, summary }).slice(1)}\n`);
}

export const jsonReport = collectReport(writeJsonReport);
