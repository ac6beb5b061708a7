import type { AuditReport, ReportSink } from "./report";
import { collectReport, SEVERITIES_DESCENDING, summaryLine } from "./report";
import { markdownText } from "./untrusted";

/** A Markdown report for pull-request comments and job summaries. */
export function writeMarkdownReport(report: AuditReport, write: ReportSink): void {
  write(`# shipshape audit\n\n${summaryLine(report.summary)}\n`);
  if (report.errors.length > 0) {
    write("\n## Errors\n\n| file | line | column | message |\n| --- | --- | --- | --- |\n");
    for (const e of report.errors) {
      write(`| ${cell(e.file)} | ${e.line ?? 1} | ${e.column ?? 1} | ${cell(e.message)} |\n`);
    }
  }
  if (report.findings.length > 0) {
    write(
      "\n## Findings\n\n| severity | rule | file | line | object | message |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    // Most severe first, in report order within a severity: one pass per severity, no copy.
    for (const severity of SEVERITIES_DESCENDING) {
      for (const f of report.findings) {
        if (f.severity !== severity) continue;
        write(
          `| ${f.severity} | [\`${f.ruleId}\`](RULES.md#${f.ruleId}) | ${cell(f.file)} | ${f.line}:${f.column} | ${cell(f.object)} | ${cell(f.message)} |\n`,
        );
      }
    }
  }
}

export const markdownReport = collectReport(writeMarkdownReport);

/** Untrusted text (names, messages) for a table cell, shown literally (see `markdownText`). */
function cell(text: string): string {
  return markdownText(text);
}
