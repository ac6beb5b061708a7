/** What the scan's provider receives (resolved inputs; paths filled in by the component). */
export interface ImageScanInputs {
  image: string;
  source: string;
  host?: string;
  insecureRegistry: boolean;
  failOn: string;
  ignoreUnfixed: boolean;
  ignores: { id: string; reason: string; expires?: string; packages?: string[] }[];
  timeoutSeconds: number;
  trivyPath: string;
  cacheDir: string;
  reportDir: string;
  /** The noPackages override's reason, or "" when not set. */
  noPackagesReason: string;
}

/** One vulnerability in the summary a stack can export. */
export interface ScanSummaryEntry {
  id: string;
  severity: string;
  package: string;
  installed: string;
  fixed: string;
  /** The ignore's reason, or "" when it counts. */
  ignored: string;
}

/** The scan's outcome in a stack output's size: counts and the most severe findings. */
export interface ScanSummary {
  image: string;
  digest: string;
  os: string;
  packages: number;
  databaseUpdatedAt: string;
  failOn: string;
  passed: boolean;
  counts: Record<string, number>;
  /** The most severe vulnerabilities, at most 50 (the JSON report has them all). */
  vulnerabilities: ScanSummaryEntry[];
  warnings: string[];
}

/** What the provider stores: the inputs plus the last scan's outcome (a stored scan always passed its gate). */
export interface ImageScanOutputs extends ImageScanInputs {
  /** The scanned content by reference: the image ID locally, repository@digest in a registry. */
  imageRef: string;
  digest: string;
  databaseUpdatedAt: string;
  /** (digest, database date, gate): an unchanged key never runs the scanner again. */
  scanKey: string;
  /** The gate's verdict needs re-checking from this day on (an ignore it used expires), or "". */
  recheckAfter: string;
  counts: Record<string, number>;
  passed: boolean;
  reportPath: string;
  sarifPath: string;
  summary: ScanSummary;
  warnings: string[];
}
