import { isAbsolute, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { Location, Log, Notification, ReportingDescriptor, Result } from "sarif";
import type { Finding } from "../engine/finding";
import type { Rule, Severity } from "../rules/rule";
import { type AuditReport, collectReport, type ReportSink } from "./report";
import { TOOL_NAME, toolVersion } from "./tool";

/** Base for relative file names: the directory shipshape ran in. */
export const SOURCE_ROOT = "%SRCROOT%";

const LEVEL: Record<Severity, Result.level> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

/** GitHub code scanning ranks security results by this 0–10 score. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "1.0",
};

/** A SARIF 2.1.0 log with one run: the rules that ran, one result per finding, input errors as notifications. */
export function toSarif(report: AuditReport): Log {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const rules = report.rules.map(describeRule);
  const results = report.findings.map((f) => toResult(f, ruleIndex));
  const notifications: Notification[] = report.errors.map((e) => ({
    level: "error",
    message: { text: e.message },
    locations: [location(e.file, e.line ?? 1, e.column ?? 1)],
  }));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: toolVersion(),
            semanticVersion: toolVersion(),
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: notifications,
          },
        ],
        results,
        columnKind: "unicodeCodePoints",
        properties: { summary: report.summary },
      },
    ],
  };
}

/** Where the results go in the indented log: `runs[0].results`, eight spaces in. */
const RESULTS_INDENT = "        ";

/**
 * The SARIF log as `JSON.stringify(toSarif(report), null, 2)` writes it, with the results
 * written one at a time into the skeleton instead of held as one tree and one string.
 */
export function writeSarifReport(report: AuditReport, write: ReportSink): void {
  const skeleton = toSarif({ ...report, findings: [] });
  const text = JSON.stringify(skeleton, null, 2);
  const marker = '"results": []';
  const at = text.indexOf(marker);
  if (report.findings.length === 0 || at < 0) {
    write(`${text}\n`);
    return;
  }
  write(`${text.slice(0, at)}"results": [\n`);
  const result = resultWriter(report.rules);
  report.findings.forEach((f, i) => {
    write(`${i === 0 ? "" : ",\n"}${result(f)}`);
  });
  write(`\n      ]${text.slice(at + marker.length)}\n`);
}

/**
 * One result as `JSON.stringify(toResult(f), null, 2)` writes it, indented into the results
 * array, from a template: the text of a rule's head and of a file's location are made once, so
 * a report of millions of results builds no object per result (the same bytes; tested).
 */
function resultWriter(rules: readonly Rule[]): (f: Finding) => string {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const i = RESULTS_INDENT;
  const locations = new Map<string, string>();
  const artifact = (file: string): string => {
    let text = locations.get(file);
    if (text === undefined) {
      const { uri, uriBaseId } = location(file, 1, 1).physicalLocation?.artifactLocation ?? {};
      text =
        `${i}          "uri": ${JSON.stringify(uri)}` +
        (uriBaseId === undefined ? "\n" : `,\n${i}          "uriBaseId": ${JSON.stringify(uriBaseId)}\n`);
      locations.set(file, text);
    }
    return text;
  };
  return (f) => {
    const index = ruleIndex.get(f.ruleId);
    return (
      `${i}{\n${i}  "ruleId": ${JSON.stringify(f.ruleId)},\n${i}  "level": "${LEVEL[f.severity]}",\n` +
      `${i}  "message": {\n${i}    "text": ${JSON.stringify(f.message)}\n${i}  },\n` +
      `${i}  "locations": [\n${i}    {\n${i}      "physicalLocation": {\n${i}        "artifactLocation": {\n` +
      artifact(f.file) +
      `${i}        },\n${i}        "region": {\n${i}          "startLine": ${f.line},\n${i}          "startColumn": ${f.column}\n` +
      `${i}        }\n${i}      }\n${i}    }\n${i}  ],\n` +
      `${i}  "properties": {\n${i}    "severity": "${f.severity}",\n${i}    "object": ${JSON.stringify(f.object)}\n${i}  }` +
      (index === undefined ? `\n${i}}` : `,\n${i}  "ruleIndex": ${index}\n${i}}`)
    );
  };
}

export const sarifReport = collectReport(writeSarifReport);

function toResult(f: Finding, ruleIndex: ReadonlyMap<string, number>): Result {
  const result: Result = {
    ruleId: f.ruleId,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [location(f.file, f.line, f.column)],
    properties: { severity: f.severity, object: f.object },
  };
  const index = ruleIndex.get(f.ruleId);
  if (index !== undefined) result.ruleIndex = index;
  return result;
}

function describeRule(rule: Rule): ReportingDescriptor {
  const tags = [
    "security",
    ...Object.entries(rule.references).flatMap(([framework, ids]) =>
      (ids ?? []).map((id: string) => `${framework}:${id}`),
    ),
  ];
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: sentence(rule.title) },
    fullDescription: { text: sentence(rule.rationale) },
    help: {
      text: rule.remediation,
      markdown: `${rule.remediation}\n\nSee RULES.md#${rule.id}.`,
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags,
      severity: rule.severity,
      "security-severity": SECURITY_SEVERITY[rule.severity],
      ...(rule.pssLevel ? { pssLevel: rule.pssLevel } : {}),
      fixable: rule.fixable === true,
    },
  };
}

/** A relative file stays relative to the working directory; an absolute one becomes a file URI. */
function location(file: string, line: number, column: number): Location {
  const artifactLocation = isAbsolute(file)
    ? { uri: pathToFileURL(file).href }
    : { uri: file.split(sep).map(encodeURIComponent).join("/"), uriBaseId: SOURCE_ROOT };
  return {
    physicalLocation: {
      artifactLocation,
      region: { startLine: line, startColumn: column },
    },
  };
}

function pascalCase(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join("");
}

/** SARIF asks for messages that end with a period. */
function sentence(text: string): string {
  const t = text.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}
