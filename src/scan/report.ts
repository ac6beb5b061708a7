import type { Log, ReportingDescriptor, Result } from "sarif";
import { TOOL_NAME, toolVersion } from "../report/tool";
import { printable } from "../report/untrusted";
import type { GateOutcome, GateSettings } from "./gate";
import { type ScanResult, type ScanSeverityName, sortVulnerabilities, type Vulnerability } from "./types";

/** A vulnerability as reports list it: with the ignore's reason, or whether it fails the gate. */
export interface ReportedVulnerability extends Vulnerability {
  /** Fails the gate. */
  blocking: boolean;
  /** The reason of the ignore that covers it. */
  ignoredBecause?: string;
}

/** The JSON report of one scan (what `shipshape scan -f json` prints and ImageScan writes). */
export interface ScanReport {
  schemaVersion: 1;
  tool: { name: string; version: string };
  scanner: { name: string; version: string };
  image: string;
  digest: string;
  os: string;
  database: { updatedAt: string };
  scannedAt: string;
  gate: GateSettings;
  passed: boolean;
  counts: Record<ScanSeverityName, number>;
  packages: number;
  targets: ScanResult["targets"];
  vulnerabilities: ReportedVulnerability[];
  warnings: string[];
}

export function buildScanReport(result: ScanResult, gate: GateSettings, outcome: GateOutcome): ScanReport {
  const blocking = new Set(outcome.blocking);
  const ignored = new Map(outcome.ignored.map((i) => [i.vulnerability, i.reason]));
  return {
    schemaVersion: 1,
    tool: { name: TOOL_NAME, version: toolVersion() },
    scanner: { name: result.scanner, version: result.scannerVersion },
    image: result.image,
    digest: result.digest,
    os: result.os,
    database: { updatedAt: result.dbUpdatedAt },
    scannedAt: result.scannedAt,
    gate,
    passed: outcome.passed,
    counts: outcome.counts,
    packages: result.packages,
    targets: result.targets,
    vulnerabilities: sortVulnerabilities(result.vulnerabilities).map((v) => {
      const r: ReportedVulnerability = { ...v, blocking: blocking.has(v) };
      const reason = ignored.get(v);
      if (reason !== undefined) r.ignoredBecause = reason;
      return r;
    }),
    warnings: outcome.warnings,
  };
}

const LEVEL: Record<ScanSeverityName, Result.level> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  unknown: "note",
};

/** GitHub code scanning ranks security results by this 0–10 score. */
const SECURITY_SEVERITY: Record<ScanSeverityName, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  unknown: "0.0",
};

/**
 * A SARIF 2.1.0 log: one rule per advisory, one result per vulnerable package. The image has no
 * source file, so each result points at the package's manifest inside the image (or the image
 * itself) as a logical location, and ignored vulnerabilities are results with a suppression.
 */
export function toScanSarif(report: ScanReport): Log {
  const ruleIds = [...new Set(report.vulnerabilities.map((v) => v.id))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules: ReportingDescriptor[] = ruleIds.map((id) => {
    const v = report.vulnerabilities.find((x) => x.id === id) as ReportedVulnerability;
    const rule: ReportingDescriptor = {
      id,
      shortDescription: { text: v.title || id },
      defaultConfiguration: { level: LEVEL[v.severity] },
      properties: { "security-severity": SECURITY_SEVERITY[v.severity], tags: ["security", "vulnerability"] },
    };
    if (v.url) rule.helpUri = v.url;
    return rule;
  });
  const results: Result[] = report.vulnerabilities.map((v) => {
    const result: Result = {
      ruleId: v.id,
      ruleIndex: ruleIndex.get(v.id) as number,
      level: LEVEL[v.severity],
      message: {
        text: `${v.packageName} ${v.installedVersion} in ${report.image} has ${v.id} (${v.severity})${v.fixedVersion ? `; fixed in ${v.fixedVersion}` : "; no fixed version yet"}`,
      },
      locations: [
        {
          logicalLocations: [
            {
              name: v.path ?? v.packageName,
              fullyQualifiedName: `${report.image}@${report.digest}:${v.path ?? v.target}`,
              kind: "package",
            },
          ],
        },
      ],
      properties: { package: v.packageName, installedVersion: v.installedVersion, blocking: v.blocking },
    };
    if (v.fixedVersion) (result.properties as Record<string, unknown>).fixedVersion = v.fixedVersion;
    if (v.ignoredBecause !== undefined) {
      result.suppressions = [{ kind: "external", status: "accepted", justification: v.ignoredBecause }];
    }
    return result;
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules,
          },
          extensions: [{ name: report.scanner.name, version: report.scanner.version || "unknown" }],
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.warnings.map((w) => ({
              level: "warning",
              message: { text: w },
            })),
          },
        ],
        results,
        properties: {
          image: report.image,
          digest: report.digest,
          databaseUpdatedAt: report.database.updatedAt,
          passed: report.passed,
          counts: report.counts,
        },
      },
    ],
  };
}

const COLUMNS = ["SEVERITY", "ID", "PACKAGE", "INSTALLED", "FIXED", "TITLE"] as const;

/** The terminal table: one row per vulnerability, every cell made printable. */
export function toScanTable(report: ScanReport): string {
  const rows = report.vulnerabilities.map((v) =>
    [
      v.ignoredBecause !== undefined ? `${v.severity} (ignored)` : v.severity,
      v.id,
      v.packageName,
      v.installedVersion,
      v.fixedVersion ?? "-",
      v.title.length > 60 ? `${v.title.slice(0, 59)}…` : v.title,
    ].map((c) => printable(c)),
  );
  const widths = COLUMNS.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const c = report.counts;
  const lines = [
    `${printable(report.image)} (${report.digest}), ${printable(report.os || "no OS detected")}, ${report.packages} packages, database of ${report.database.updatedAt}`,
    `critical ${c.critical}, high ${c.high}, medium ${c.medium}, low ${c.low}, unknown ${c.unknown}`,
  ];
  if (rows.length > 0) lines.push("", line(COLUMNS), ...rows.map(line));
  for (const w of report.warnings) lines.push(`warning: ${printable(w)}`);
  const blocking = report.vulnerabilities.filter((v) => v.blocking).length;
  lines.push(
    report.passed
      ? `gate passed: nothing at or above ${report.gate.failOn}${report.gate.ignoreUnfixed ? " with a fix" : ""}`
      : `gate failed: ${blocking} vulnerabilit${blocking === 1 ? "y" : "ies"} at or above ${report.gate.failOn}`,
  );
  return `${lines.join("\n")}\n`;
}
