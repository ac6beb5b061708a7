import type { Finding, InputError } from "../engine/finding";
import type { AuditReport } from "./report";

/**
 * JUnit XML for CI systems that show test results: one test suite per file, one failing test
 * case per finding, one erroring test case per input error, and a passing case for a clean file.
 */
export function junitReport(report: AuditReport): string {
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

  const suites: string[] = [];
  let tests = 0;
  for (const [file, { findings, errors }] of byFile) {
    const cases: string[] = [];
    for (const e of errors) {
      cases.push(
        `    <testcase classname="${xml(file)}" name="${xml(`input error at ${e.line ?? 1}:${e.column ?? 1}`)}">\n` +
          `      <error message="${xml(e.message)}" type="input-error">${xml(`${file}:${e.line ?? 1}:${e.column ?? 1}: ${e.message}`)}</error>\n` +
          "    </testcase>",
      );
    }
    for (const f of findings) {
      cases.push(
        `    <testcase classname="${xml(file)}" name="${xml(`${f.ruleId} ${f.object} at ${f.line}:${f.column}`)}">\n` +
          `      <failure message="${xml(f.message)}" type="${f.severity}">${xml(`${file}:${f.line}:${f.column}: ${f.severity}: ${f.message} [${f.ruleId}]`)}</failure>\n` +
          "    </testcase>",
      );
    }
    if (cases.length === 0) cases.push(`    <testcase classname="${xml(file)}" name="no findings"/>`);
    tests += cases.length;
    suites.push(
      `  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${findings.length}" errors="${errors.length}">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  const { findings, errors } = report.summary;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shipshape audit" tests="${tests}" failures="${findings}" errors="${errors}">`,
    ...suites,
    "</testsuites>",
    "",
  ].join("\n");
}

/** Escapes text for XML attributes and content, dropping characters XML 1.0 cannot carry. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
