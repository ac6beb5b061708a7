import {
  countBySeverity,
  type ScanResult,
  type ScanSeverityName,
  scanSeverityRank,
  type Vulnerability,
} from "./types";

/** A vulnerability the gate does not count, and why. */
export interface ScanIgnore {
  /** The advisory id (CVE-…, GHSA-…) as the scanner reports it. */
  id: string;
  /** Why it does not apply or is accepted: required, it travels into the report. */
  reason: string;
  /** The last day (YYYY-MM-DD, UTC) the ignore holds; after it the vulnerability counts again. */
  expires?: string;
  /** Only for these packages. @default every package */
  packages?: string[];
}

export interface GateSettings {
  /** The lowest severity that fails the gate. */
  failOn: ScanSeverityName;
  /** Vulnerabilities with no fixed version do not fail the gate (they are still reported). */
  ignoreUnfixed: boolean;
  ignores: ScanIgnore[];
}

export interface GateOutcome {
  passed: boolean;
  /** Every vulnerability found, by severity (before ignores). */
  counts: Record<ScanSeverityName, number>;
  /** What fails the gate. */
  blocking: Vulnerability[];
  /** What an ignore covered, with the ignore's id and reason. */
  ignored: { vulnerability: Vulnerability; reason: string }[];
  /** At or above failOn but without a fix, not counted because ignoreUnfixed is set. */
  unfixed: Vulnerability[];
  /** Ignores whose expiry date has passed: they no longer hold. */
  expiredIgnores: ScanIgnore[];
  /** Ignores that matched nothing in this scan. */
  unusedIgnores: ScanIgnore[];
  /** One line per expired or unused ignore. */
  warnings: string[];
}

/** Whether an ignore has expired on `now` (it holds through its whole expiry day, UTC). */
export function ignoreExpired(ignore: ScanIgnore, now: Date): boolean {
  if (!ignore.expires) return false;
  return now.getTime() >= Date.parse(`${ignore.expires}T00:00:00Z`) + 86_400_000;
}

function matches(ignore: ScanIgnore, v: Vulnerability): boolean {
  return ignore.id === v.id && (!ignore.packages?.length || ignore.packages.includes(v.packageName));
}

/** Applies the gate to a scan result. Pure: the same result, settings and day give the same outcome. */
export function evaluateGate(result: ScanResult, gate: GateSettings, now: Date = new Date()): GateOutcome {
  const failRank = scanSeverityRank(gate.failOn);
  const live = gate.ignores.filter((i) => !ignoreExpired(i, now));
  const expiredIgnores = gate.ignores.filter((i) => ignoreExpired(i, now));
  const used = new Set<ScanIgnore>();
  const blocking: Vulnerability[] = [];
  const ignored: GateOutcome["ignored"] = [];
  const unfixed: Vulnerability[] = [];
  for (const v of result.vulnerabilities) {
    const ignore = live.find((i) => matches(i, v));
    if (ignore) {
      used.add(ignore);
      ignored.push({ vulnerability: v, reason: ignore.reason });
      continue;
    }
    // An expired ignore that would have matched is "used" for the unused check: it is reported as expired.
    for (const i of expiredIgnores) if (matches(i, v)) used.add(i);
    if (scanSeverityRank(v.severity) < failRank) continue;
    if (gate.ignoreUnfixed && !v.fixedVersion) {
      unfixed.push(v);
      continue;
    }
    blocking.push(v);
  }
  const unusedIgnores = live.filter((i) => !used.has(i));
  const warnings = [
    ...expiredIgnores.map(
      (i) =>
        `the ignore of ${i.id} expired on ${i.expires} and no longer holds: fix the vulnerability or renew the ignore with a new reason`,
    ),
    ...unusedIgnores.map(
      (i) =>
        `the ignore of ${i.id} matched nothing in ${result.image}: remove it (stale ignores hide future findings)`,
    ),
  ];
  return {
    passed: blocking.length === 0,
    counts: countBySeverity(result.vulnerabilities),
    blocking,
    ignored,
    unfixed,
    expiredIgnores,
    unusedIgnores,
    warnings,
  };
}

/** One line per blocking vulnerability (at most `limit`), for a failure message. */
export function describeBlocking(outcome: GateOutcome, limit = 20): string {
  const lines = outcome.blocking
    .slice(0, limit)
    .map(
      (v) =>
        `  [${v.severity}] ${v.id} in ${v.packageName} ${v.installedVersion}${v.fixedVersion ? ` (fixed in ${v.fixedVersion})` : " (no fix yet)"}`,
    );
  if (outcome.blocking.length > limit) lines.push(`  … and ${outcome.blocking.length - limit} more`);
  return lines.join("\n");
}
