import type { AuditReport } from "./report";
import { summaryLine } from "./report";

/**
 * One line per finding and per error, in the `file:line:column` form editors and terminals
 * turn into links, then a summary line.
 */
export function textReport(report: AuditReport): string {
  const lines: string[] = [];
  for (const e of report.errors) {
    lines.push(`${e.file}:${e.line ?? 1}:${e.column ?? 1}: error: ${e.message}`);
  }
  for (const f of report.findings) {
    lines.push(`${f.file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.ruleId}] (${f.object})`);
  }
  if (lines.length > 0) lines.push("");
  lines.push(summaryLine(report.summary));
  return `${lines.join("\n")}\n`;
}
