import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding } from "../engine/finding";
import type { Severity } from "../rules/rule";
import type { AuditReport, ReportSink } from "./report";
import { collectReport, plural, SEVERITIES_DESCENDING, summaryLine } from "./report";
import { printable, printableLines } from "./untrusted";

/**
 * The page allows no script, no network fetch, no frame and no form: only its own inline style
 * and inline images. A name that got past escaping still could not run or load anything.
 */
export const HTML_REPORT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Lines of source shown before and after a finding's line. */
const CONTEXT_LINES = 1;

const SEVERITY_COLOURS: Record<Severity, string> = {
  critical: "#6a1b9a",
  high: "#c62828",
  medium: "#ef6c00",
  low: "#f9a825",
  info: "#1565c0",
};

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1100px;padding:16px 24px;color:#1b1f23;background:#fff}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:28px}
h3{font-size:15px;margin:20px 0 6px;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
h4{font-size:14px;margin:12px 0 4px}
figure{margin:12px 0}img.topology{max-width:100%;height:auto;border:1px solid #d0d7de}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}.num{text-align:right;font-variant-numeric:tabular-nums}
.sev{display:inline-block;min-width:56px;text-align:center;border-radius:10px;padding:0 8px;color:#fff;font-size:12px;font-weight:600}
${Object.entries(SEVERITY_COLOURS)
  .map(([s, c]) => `.sev-${s}{background:${c}}`)
  .join("")}
.sev-low{color:#1b1f23}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px}
pre.source{background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:4px 0;margin:4px 0 10px;overflow-x:auto}
pre.source>span{display:block;padding:0 8px;white-space:pre}pre.source>.hit{background:#fff1c2}
.ln{display:inline-block;min-width:44px;color:#6e7781;user-select:none}
ul.findings{margin:2px 0;padding-left:20px}ul.findings li{margin:4px 0}
.object{color:#57606a}.message{word-break:break-word}.summary-line{font-size:15px}
section.file{border-left:3px solid #d0d7de;padding-left:12px;margin:12px 0}
.clean{color:#1a7f37;font-weight:600}
`;

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Untrusted text for an element or an attribute: unprintable characters shown as escapes, HTML inert. */
function h(text: string): string {
  return escapeHtml(printable(text));
}

/**
 * Where rule links point: the RULES.md shipped with this package (each rule's section is
 * anchored by its id, as `scripts/generate-rules-md.ts` writes it), or `RULES.md` beside the page.
 */
function rulesDocument(): string {
  for (const up of [
    ["..", ".."],
    ["..", "..", ".."],
  ]) {
    const path = join(__dirname, ...up, "RULES.md");
    if (existsSync(path)) return pathToFileURL(path).href;
  }
  return "RULES.md";
}

/** The chart: one bar per severity, as inline SVG (no script, font or image to fetch). */
function severityChart(bySeverity: Record<Severity, number>): string {
  const max = Math.max(1, ...SEVERITIES_DESCENDING.map((s) => bySeverity[s]));
  const barHeight = 24;
  const gap = 8;
  const labelWidth = 80;
  const barSpace = 520;
  const height = SEVERITIES_DESCENDING.length * (barHeight + gap);
  const rows = SEVERITIES_DESCENDING.map((s, i) => {
    const n = bySeverity[s];
    const y = i * (barHeight + gap);
    const width = n === 0 ? 0 : Math.max(2, Math.round((n / max) * barSpace));
    return (
      `<text x="0" y="${y + 17}" font-size="13" fill="#1b1f23">${s}</text>` +
      `<rect x="${labelWidth}" y="${y}" width="${width}" height="${barHeight}" rx="3" fill="${SEVERITY_COLOURS[s]}"><title>${n} ${s}</title></rect>` +
      `<text x="${labelWidth + width + 6}" y="${y + 17}" font-size="13" fill="#1b1f23">${n}</text>`
    );
  });
  return `<svg class="chart" role="img" aria-label="findings by severity" width="${labelWidth + barSpace + 60}" height="${height}" viewBox="0 0 ${labelWidth + barSpace + 60} ${height}" xmlns="http://www.w3.org/2000/svg">${rows.join("")}</svg>`;
}

/** Findings grouped by file (in report order), then by rule (most severe first). */
function groupFindings(findings: readonly Finding[]): Map<string, Map<string, number[]>> {
  const byFile = new Map<string, Map<string, number[]>>();
  findings.forEach((f, i) => {
    let byRule = byFile.get(f.file);
    if (!byRule) {
      byRule = new Map();
      byFile.set(f.file, byRule);
    }
    const list = byRule.get(f.ruleId);
    if (list) list.push(i);
    else byRule.set(f.ruleId, [i]);
  });
  return byFile;
}

function sourceExcerpt(lines: readonly string[], line: number): string {
  if (line < 1 || line > lines.length) return "";
  const from = Math.max(1, line - CONTEXT_LINES);
  const to = Math.min(lines.length, line + CONTEXT_LINES);
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const text = escapeHtml(printableLines((lines[n - 1] ?? "").replace(/\r$/, "")));
    out.push(`<span${n === line ? ' class="hit"' : ""}><span class="ln">${n}</span>${text}</span>`);
  }
  return `<pre class="source">${out.join("")}</pre>`;
}

/**
 * A self-contained HTML page: a summary by severity with a chart, input errors, findings grouped
 * by file and rule with their source lines (when the report carries the files' texts), the
 * suppressions with their reasons, and links to each rule's section of RULES.md. Every name,
 * message and line of source is escaped; a Content-Security-Policy forbids scripts and fetches.
 */
export function writeHtmlReport(report: AuditReport, write: ReportSink): void {
  const { summary } = report;
  const title = report.title ?? "shipshape audit";
  write(
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n` +
      `<meta http-equiv="Content-Security-Policy" content="${HTML_REPORT_CSP}">\n` +
      `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
      `<meta name="generator" content="shipshape">\n<title>${h(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n`,
  );
  write(`<h1>${h(title)}</h1>\n<p class="summary-line" id="summary-line">${h(summaryLine(summary))}</p>\n`);
  write(`<section id="summary"><h2>Summary</h2>\n`);
  write(
    `<p>Profile <code>${h(summary.profile)}</code>, minimum severity <code>${h(summary.minSeverity)}</code>.</p>\n`,
  );
  write(`<table class="counts"><tr><th>severity</th><th>findings</th></tr>\n`);
  for (const s of SEVERITIES_DESCENDING) {
    write(
      `<tr><td><span class="sev sev-${s}">${s}</span></td><td class="num" data-severity="${s}">${summary.bySeverity[s]}</td></tr>\n`,
    );
  }
  write(
    `<tr><th>total</th><td class="num" id="total-findings">${summary.findings}</td></tr>\n` +
      `<tr><th>errors</th><td class="num" id="total-errors">${summary.errors}</td></tr>\n` +
      `<tr><th>audited</th><td class="num" id="files-audited">${summary.filesAudited}</td></tr>\n</table>\n`,
  );
  write(`${severityChart(summary.bySeverity)}\n</section>\n`);

  const topologies = report.topologies ?? [];
  if (topologies.length > 0) {
    write(`<section id="topology"><h2>Network topology (${topologies.length})</h2>\n`);
    for (const t of topologies) {
      const alt = `${t.name}: services ${t.services.join(", ")}; allowed ${t.edges.length ? t.edges.join(", ") : "nothing"}`;
      // An <img> of a data URI: the SVG is shown, and nothing in it can run or fetch.
      const picture = t.svg
        ? `<img class="topology" alt="${escapeHtml(alt)}" src="data:image/svg+xml;base64,${Buffer.from(t.svg, "utf8").toString("base64")}">`
        : `<p class="message">No picture: ${h(t.error ?? "not drawn")}</p>`;
      write(
        `<figure>${picture}<figcaption><span class="mono">${h(t.file)}</span>: ${h(t.name)}; allowed: ${t.edges.length ? t.edges.map(h).join(", ") : "nothing (default deny)"}</figcaption></figure>\n`,
      );
    }
    write(`</section>\n`);
  }

  if (report.errors.length > 0) {
    write(
      `<section id="errors"><h2>Input errors (${report.errors.length})</h2>\n<table><tr><th>file</th><th>line</th><th>message</th></tr>\n`,
    );
    for (const e of report.errors) {
      write(
        `<tr><td class="mono">${h(e.file)}</td><td class="num">${e.line ?? 1}:${e.column ?? 1}</td><td class="message">${h(e.message)}</td></tr>\n`,
      );
    }
    write(`</table></section>\n`);
  }

  write(`<section id="findings"><h2>Findings (${report.findings.length})</h2>\n`);
  if (report.findings.length === 0) write(`<p class="clean">No findings.</p>\n`);
  const rulesHref = rulesDocument();
  const titles = new Map(report.rules.map((r) => [r.id, r.title]));
  const groups = groupFindings(report.findings);
  for (const [file, byRule] of groups) {
    const text = report.sources?.get(file);
    const lines = text === undefined ? undefined : text.split("\n");
    let count = 0;
    for (const list of byRule.values()) count += list.length;
    write(`<section class="file"><h3>${h(file)}</h3><p>${plural(count, "finding")}</p>\n`);
    const ruleIds = [...byRule.keys()];
    const severityOf = (id: string) => (report.findings[byRule.get(id)?.[0] ?? 0] as Finding).severity;
    ruleIds.sort(
      (a, b) => SEVERITIES_DESCENDING.indexOf(severityOf(a)) - SEVERITIES_DESCENDING.indexOf(severityOf(b)),
    );
    for (const ruleId of ruleIds) {
      const list = byRule.get(ruleId) ?? [];
      const severity = severityOf(ruleId);
      const ruleTitle = titles.get(ruleId);
      write(
        `<div class="rule"><h4><span class="sev sev-${severity}">${severity}</span> ` +
          `<a class="rule-id" href="${escapeHtml(`${rulesHref}#${encodeURIComponent(ruleId)}`)}">${h(ruleId)}</a>` +
          `${ruleTitle === undefined ? "" : ` — ${h(ruleTitle)}`} (${list.length})</h4>\n<ul class="findings">\n`,
      );
      for (const i of list) {
        const f = report.findings[i] as Finding;
        write(
          `<li><span class="mono">${f.line}:${f.column}</span> <span class="object">${h(f.object)}</span>: <span class="message">${h(f.message)}</span>` +
            `${lines ? sourceExcerpt(lines, f.line) : ""}</li>\n`,
        );
      }
      write(`</ul></div>\n`);
    }
    write(`</section>\n`);
  }
  write(`</section>\n`);

  const suppressions = report.suppressions ?? [];
  if (suppressions.length > 0) {
    write(
      `<section id="suppressions"><h2>Suppressions (${suppressions.length})</h2>\n` +
        `<table><tr><th>rule</th><th>object</th><th>where</th><th>reason</th></tr>\n`,
    );
    for (const s of suppressions) {
      const rules = s.ruleIds
        .map((id) => `<a href="${escapeHtml(`${rulesHref}#${encodeURIComponent(id)}`)}">${h(id)}</a>`)
        .join(", ");
      write(
        `<tr><td>${rules}</td><td>${h(s.object)}</td><td class="mono">${h(s.file)}:${s.line} (${s.form})</td>` +
          `<td class="message">${s.reason.trim() === "" ? "<em>no reason given</em>" : h(s.reason)}</td></tr>\n`,
      );
    }
    write(`</table></section>\n`);
  }

  if (summary.notAudited) {
    write(
      `<section id="not-audited"><h2>Not audited (${summary.notAudited.objects})</h2><p>No rule checks these kinds.</p>\n<table><tr><th>kind</th><th>objects</th></tr>\n`,
    );
    for (const [kind, n] of Object.entries(summary.notAudited.kinds)) {
      write(`<tr><td class="mono">${h(kind)}</td><td class="num">${n}</td></tr>\n`);
    }
    write(`</table></section>\n`);
  }
  write(`</body>\n</html>\n`);
}

export const htmlReport = collectReport(writeHtmlReport);
