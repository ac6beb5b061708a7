import type { AuditReport } from "./report";
import { SEVERITIES_DESCENDING, summaryLine } from "./report";

/** A Markdown report for pull-request comments and job summaries. */
export function markdownReport(report: AuditReport): string {
  const out: string[] = ["# shipshape audit", "", summaryLine(report.summary), ""];
  if (report.errors.length > 0) {
    out.push("## Errors", "", "| file | line | column | message |", "| --- | --- | --- | --- |");
    for (const e of report.errors) {
      out.push(`| ${cell(e.file)} | ${e.line ?? 1} | ${e.column ?? 1} | ${cell(e.message)} |`);
    }
    out.push("");
  }
  if (report.findings.length > 0) {
    out.push(
      "## Findings",
      "",
      "| severity | rule | file | line | object | message |",
      "| --- | --- | --- | --- | --- | --- |",
    );
    const ordered = [...report.findings].sort(
      (a, b) => SEVERITIES_DESCENDING.indexOf(a.severity) - SEVERITIES_DESCENDING.indexOf(b.severity),
    );
    for (const f of ordered) {
      out.push(
        `| ${f.severity} | [\`${f.ruleId}\`](RULES.md#${f.ruleId}) | ${cell(f.file)} | ${f.line}:${f.column} | ${cell(f.object)} | ${cell(f.message)} |`,
      );
    }
    out.push("");
  }
  return `${out.join("\n")}`;
}

/** Escapes what would break a table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
