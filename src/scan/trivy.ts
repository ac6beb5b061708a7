import { spawn } from "node:child_process";
import { ScanError, ScanFailure } from "./errors";
import { type ScanResult, type ScanTarget, toScanSeverity, type Vulnerability } from "./types";

/** Where the image to scan lives. */
export enum ImageSource {
  /** An image in a Docker engine (the local one, or `host`). */
  Docker = "docker",
  /** An image in a registry, read over the registry API. */
  Registry = "registry",
}

export interface TrivyRun {
  /** The trivy binary. */
  binary: string;
  /** A trivy cache directory holding db/trivy.db. */
  cacheDir: string;
  image: string;
  /** How messages name the image (the reference the user gave). @default image */
  label?: string;
  source: ImageSource;
  /** The engine address, for ImageSource.Docker. */
  host?: string;
  /** Plain-HTTP registry (a loopback registry), for ImageSource.Registry. */
  insecureRegistry?: boolean;
  timeoutMs: number;
}

/**
 * trivy's arguments for one offline vulnerability scan: never a DB or checks download, never
 * telemetry or a version check (this machine has no network, and a deployment should not call
 * out), every package listed so the report can say what was looked at.
 */
export function trivyArgs(run: TrivyRun): string[] {
  const args = [
    "image",
    "--cache-dir",
    run.cacheDir,
    "--skip-db-update",
    "--skip-java-db-update",
    "--offline-scan",
    "--skip-version-check",
    "--disable-telemetry",
    "--scanners",
    "vuln",
    "--list-all-pkgs",
    "--format",
    "json",
    "--quiet",
    "--timeout",
    `${Math.max(1, Math.ceil(run.timeoutMs / 1000))}s`,
  ];
  if (run.source === ImageSource.Docker) {
    args.push("--image-src", "docker");
    if (run.host) args.push("--docker-host", run.host);
  } else {
    args.push("--image-src", "remote");
    if (run.insecureRegistry) args.push("--insecure");
  }
  args.push("--", run.image);
  return args;
}

interface ProcessOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a command (an argument array, no shell) with a deadline after which it is killed. */
function runWithDeadline(binary: string, args: string[], timeoutMs: number): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      // The whole process group: a wrapper script's children go too.
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, timeoutMs);
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        timedOut,
      });
    });
  });
}

/** The last lines of the scanner's standard error, for a failure message. */
function tail(text: string, lines = 8): string {
  const kept = text.trim().split("\n").slice(-lines).join("\n").slice(-2000);
  return kept ? `:\n${kept}` : " (it printed nothing on standard error)";
}

/** Runs trivy on one image and reads its JSON report; every way it can fail is a ScanError. */
export async function runTrivy(run: TrivyRun, digest: string, dbUpdatedAt: string): Promise<ScanResult> {
  const label = run.label ?? run.image;
  let outcome: ProcessOutcome;
  try {
    outcome = await runWithDeadline(run.binary, trivyArgs(run), run.timeoutMs);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EACCES") {
      throw new ScanError(
        ScanFailure.ScannerMissing,
        `the scanner ${run.binary} ${code === "ENOENT" ? "does not exist" : "is not executable"}: run scripts/setup.sh (it builds trivy), or set trivyPath / SHIPSHAPE_TRIVY to a trivy binary`,
      );
    }
    throw new ScanError(
      ScanFailure.ScannerFailed,
      `the scanner ${run.binary} did not start: ${String(error)}`,
    );
  }
  if (outcome.timedOut) {
    throw new ScanError(
      ScanFailure.Timeout,
      `the scanner did not finish scanning ${label} within ${Math.round(run.timeoutMs / 1000)} s and was stopped: raise timeoutSeconds (--timeout), or check that ${run.binary} works`,
    );
  }
  if (outcome.code !== 0) {
    const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
    throw new ScanError(
      ScanFailure.ScannerFailed,
      `the scanner ${how} while scanning ${label}${tail(outcome.stderr)}`,
    );
  }
  return parseTrivyReport(outcome.stdout, { image: label, digest, dbUpdatedAt, version: "" });
}

interface TrivyVuln {
  VulnerabilityID?: unknown;
  PkgName?: unknown;
  PkgPath?: unknown;
  InstalledVersion?: unknown;
  FixedVersion?: unknown;
  Severity?: unknown;
  Title?: unknown;
  PrimaryURL?: unknown;
}

interface TrivyResult {
  Target?: unknown;
  Type?: unknown;
  Packages?: unknown[];
  Vulnerabilities?: TrivyVuln[];
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** Reads trivy's JSON report (format `json`, schema version 2) into a ScanResult. */
export function parseTrivyReport(
  json: string,
  context: { image: string; digest: string; dbUpdatedAt: string; version: string },
): ScanResult {
  let report: {
    SchemaVersion?: unknown;
    Metadata?: { OS?: { Family?: unknown; Name?: unknown } };
    Results?: unknown;
  };
  try {
    report = JSON.parse(json);
  } catch {
    throw new ScanError(
      ScanFailure.ScannerFailed,
      `the scanner printed no JSON report for ${context.image}${tail(json)}`,
    );
  }
  if (typeof report !== "object" || report === null || report.SchemaVersion !== 2) {
    throw new ScanError(
      ScanFailure.ScannerFailed,
      `the scanner's report for ${context.image} is not trivy's JSON report (SchemaVersion 2)`,
    );
  }
  const os = report.Metadata?.OS
    ? `${str(report.Metadata.OS.Family)} ${str(report.Metadata.OS.Name)}`.trim()
    : "";
  const targets: ScanTarget[] = [];
  const vulnerabilities: Vulnerability[] = [];
  const results = Array.isArray(report.Results) ? (report.Results as TrivyResult[]) : [];
  for (const r of results) {
    const target = str(r.Target);
    targets.push({
      name: target,
      type: str(r.Type),
      packages: Array.isArray(r.Packages) ? r.Packages.length : 0,
    });
    for (const v of r.Vulnerabilities ?? []) {
      const vuln: Vulnerability = {
        id: str(v.VulnerabilityID),
        packageName: str(v.PkgName),
        installedVersion: str(v.InstalledVersion),
        severity: toScanSeverity(v.Severity),
        title: str(v.Title),
        target,
      };
      if (str(v.FixedVersion)) vuln.fixedVersion = str(v.FixedVersion);
      if (str(v.PkgPath)) vuln.path = str(v.PkgPath);
      if (str(v.PrimaryURL)) vuln.url = str(v.PrimaryURL);
      vulnerabilities.push(vuln);
    }
  }
  return {
    scanner: "trivy",
    scannerVersion: context.version,
    image: context.image,
    digest: context.digest,
    os,
    dbUpdatedAt: context.dbUpdatedAt,
    targets,
    packages: targets.reduce((n, t) => n + t.packages, 0),
    vulnerabilities,
    scannedAt: new Date().toISOString(),
  };
}
