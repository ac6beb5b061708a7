import type { AuditReport, ReportSink } from "./report";
import { collectReport, summaryLine } from "./report";

/**
 * One line per finding and per error, in the `file:line:column` form editors and terminals
 * turn into links, then a summary line.
 */
export function writeTextReport(report: AuditReport, write: ReportSink): void {
  for (const e of report.errors) {
    write(`${e.file}:${e.line ?? 1}:${e.column ?? 1}: error: ${e.message}\n`);
  }
  for (const f of report.findings) {
    write(`${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.ruleId}] (${f.object})\n`);
  }
  if (report.errors.length > 0 || report.findings.length > 0) write("\n");
  write(`${summaryLine(report.summary)}\n`);
}

export const textReport = collectReport(writeTextReport);
