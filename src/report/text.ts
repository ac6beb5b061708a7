import type { AuditReport, ReportSink } from "./report";
import { collectReport, summaryLine } from "./report";
import { printable } from "./untrusted";

/**
 * One line per finding and per error, in the `file:line:column` form editors and terminals
 * turn into links, then a summary line. Names and messages are made printable: a newline or an
 * escape sequence in a file or resource name cannot fake a line of the report.
 */
export function writeTextReport(report: AuditReport, write: ReportSink): void {
  for (const e of report.errors) {
    write(`${printable(e.file)}:${e.line ?? 1}:${e.column ?? 1}: error: ${printable(e.message)}\n`);
  }
  for (const f of report.findings) {
    write(
      `${printable(f.file)}:${f.line}:${f.column}: ${f.severity}: ${printable(f.message)} [${f.ruleId}] (${printable(f.object)})\n`,
    );
  }
  if (report.errors.length > 0 || report.findings.length > 0) write("\n");
  write(`${summaryLine(report.summary)}\n`);
}

export const textReport = collectReport(writeTextReport);
