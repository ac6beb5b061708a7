/** Severities of a vulnerability, lowest first (trivy's scale, lower-cased). */
export const SCAN_SEVERITIES = ["unknown", "low", "medium", "high", "critical"] as const;
export type ScanSeverityName = (typeof SCAN_SEVERITIES)[number];

export function scanSeverityRank(s: ScanSeverityName): number {
  return SCAN_SEVERITIES.indexOf(s);
}

/** Reads a scanner's severity word (`HIGH`, `Moderate`, …); anything else is `unknown`. */
export function toScanSeverity(word: unknown): ScanSeverityName {
  const w = typeof word === "string" ? word.toLowerCase() : "";
  if (w === "moderate") return "medium";
  return (SCAN_SEVERITIES as readonly string[]).includes(w) ? (w as ScanSeverityName) : "unknown";
}

/** One vulnerable package version in the image. */
export interface Vulnerability {
  /** The advisory's id (a CVE id when it has one, else the source's: GHSA-…). */
  id: string;
  packageName: string;
  installedVersion: string;
  /** The versions that fix it, as the advisory says; absent when no fix exists. */
  fixedVersion?: string;
  severity: ScanSeverityName;
  title: string;
  /** What the scanner found the package in: an OS package database or a language ecosystem. */
  target: string;
  /** The package's manifest inside the image, when the scanner reports one. */
  path?: string;
  /** The advisory's page. */
  url?: string;
}

/** A package inventory the scanner read (an OS database, a language's packages). */
export interface ScanTarget {
  name: string;
  /** `debian`, `alpine`, `node-pkg`, `python-pkg`, … */
  type: string;
  packages: number;
}

/** What one scan of one image found, before any gate. */
export interface ScanResult {
  scanner: string;
  scannerVersion: string;
  /** The reference that was asked for. */
  image: string;
  /** The content that was scanned: the image ID of a local image, the manifest digest of a registry one. */
  digest: string;
  /** The OS the scanner detected (`debian 12.11`), or "" when it found none. */
  os: string;
  /** When the vulnerability database was built (its metadata's UpdatedAt, RFC 3339). */
  dbUpdatedAt: string;
  targets: ScanTarget[];
  /** Packages in every target together. */
  packages: number;
  vulnerabilities: Vulnerability[];
  /** When the scan ran (RFC 3339). */
  scannedAt: string;
}

export function countBySeverity(vulns: readonly Vulnerability[]): Record<ScanSeverityName, number> {
  const counts: Record<ScanSeverityName, number> = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  for (const v of vulns) counts[v.severity]++;
  return counts;
}

/** Most severe first, then by id, package and version: the order every report uses. */
export function sortVulnerabilities(vulns: readonly Vulnerability[]): Vulnerability[] {
  return [...vulns].sort(
    (a, b) =>
      scanSeverityRank(b.severity) - scanSeverityRank(a.severity) ||
      a.id.localeCompare(b.id) ||
      a.packageName.localeCompare(b.packageName) ||
      a.installedVersion.localeCompare(b.installedVersion) ||
      (a.path ?? "").localeCompare(b.path ?? ""),
  );
}
