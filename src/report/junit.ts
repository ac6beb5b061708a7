import type { Finding, InputError } from "../engine/finding";
import { type AuditReport, collectReport, type ReportSink } from "./report";
import { printable } from "./untrusted";

/**
 * JUnit XML for CI systems that show test results: one test suite per file, one failing test
 * case per finding, one erroring test case per input error, and a passing case for a clean file.
 * Counts come first (the root element carries them), then cases are written one at a time.
 */
export function writeJunitReport(report: AuditReport, write: ReportSink): void {
  const byFile = new Map<string, { findings: Finding[]; errors: InputError[] }>();
  const entry = (file: string) => {
    let e = byFile.get(file);
    if (!e) {
      e = { findings: [], errors: [] };
      byFile.set(file, e);
    }
    return e;
  };
  for (const file of report.files) entry(file);
  for (const e of report.errors) entry(e.file).errors.push(e);
  for (const f of report.findings) entry(f.file).findings.push(f);

  let tests = 0;
  for (const { findings, errors } of byFile.values()) tests += Math.max(1, findings.length + errors.length);
  const { findings: findingCount, errors: errorCount } = report.summary;
  write(
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="shipshape audit" tests="${tests}" failures="${findingCount}" errors="${errorCount}">\n`,
  );
  for (const [name, { findings, errors }] of byFile) {
    const cases = Math.max(1, findings.length + errors.length);
    // Escaped once per file, not three times per finding.
    const file = xml(name);
    write(
      `  <testsuite name="${file}" tests="${cases}" failures="${findings.length}" errors="${errors.length}">\n`,
    );
    for (const e of errors) {
      write(
        `    <testcase classname="${file}" name="input error at ${e.line ?? 1}:${e.column ?? 1}">\n` +
          `      <error message="${xml(e.message)}" type="input-error">${file}:${e.line ?? 1}:${e.column ?? 1}: ${xml(e.message)}</error>\n` +
          "    </testcase>\n",
      );
    }
    for (const f of findings) {
      const message = xml(f.message);
      write(
        `    <testcase classname="${file}" name="${xml(f.ruleId)} ${xml(f.object)} at ${f.line}:${f.column}">\n` +
          `      <failure message="${message}" type="${f.severity}">${file}:${f.line}:${f.column}: ${f.severity}: ${message} [${xml(f.ruleId)}]</failure>\n` +
          "    </testcase>\n",
      );
    }
    if (findings.length + errors.length === 0)
      write(`    <testcase classname="${file}" name="no findings"/>\n`);
    write("  </testsuite>\n");
  }
  write("</testsuites>\n");
}

export const junitReport = collectReport(writeJunitReport);

/**
 * Escapes text for XML attributes and content: control characters (newlines or escape sequences
 * in a name) are written as visible escapes, so a crafted name cannot fake lines where a CI
 * system shows the failure, and what XML 1.0 cannot carry at all (lone surrogates) is dropped.
 */
function xml(text: string): string {
  if (!NEEDS_XML_ESCAPE.test(text)) return text;
  return printable(text)
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/**
 * What `xml` changes: markup characters, what `printable` escapes, and what XML 1.0 cannot
 * carry (surrogates, paired or not, take the slow path). Text without any is returned as it is.
 */
const NEEDS_XML_ESCAPE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[&<>"'\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\uD800-\uDFFF\uFFFE\uFFFF]/;
