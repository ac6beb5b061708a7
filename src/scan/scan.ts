import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { readDatabaseInfo } from "./database";
import { ScanError, ScanFailure } from "./errors";
import { evaluateGate, type GateOutcome, type GateSettings } from "./gate";
import { resolveLocalImage } from "./image";
import { defaultReportDir, defaultTrivyCacheDir, defaultTrivyPath } from "./locations";
import { resolveRegistryDigest } from "./registry";
import { buildScanReport, type ScanReport, toScanSarif } from "./report";
import { ImageSource, runTrivy } from "./trivy";
import type { ScanResult } from "./types";

export interface ScanRequest {
  image: string;
  source?: ImageSource;
  /** Engine address for ImageSource.Docker. @default DOCKER_HOST, else the local socket */
  host?: string;
  insecureRegistry?: boolean;
  trivyPath?: string;
  /** A trivy cache directory holding db/trivy.db. */
  cacheDir?: string;
  timeoutMs?: number;
  /** Where reports and cached results go. */
  reportDir?: string;
  /** Reuse a result cached under the same key (digest, database date, gate). @default true */
  useCache?: boolean;
  /** An image without any package inventory passes instead of failing closed. @default false */
  allowNoPackages?: boolean;
  onProgress?: (message: string) => void;
}

/** What a scan produced, after the gate. */
export interface ScanOutcome {
  /** The reference that runs exactly the scanned content: the image ID locally, repo@digest in a registry. */
  imageRef: string;
  digest: string;
  /** (digest, database date, gate): the cache key. */
  key: string;
  result: ScanResult;
  outcome: GateOutcome;
  report: ScanReport;
  reportPath: string;
  sarifPath: string;
  /** Whether the scanner ran (false: the result came from the cache). */
  scanned: boolean;
}

/** The content the scan is about, and the database it is judged against. */
export interface ScanSubject {
  imageRef: string;
  digest: string;
  dbUpdatedAt: string;
}

export async function resolveSubject(request: ScanRequest): Promise<ScanSubject> {
  const db = readDatabaseInfo(request.cacheDir ?? defaultTrivyCacheDir());
  if ((request.source ?? ImageSource.Docker) === ImageSource.Docker) {
    const image = await resolveLocalImage(request.image, request.host);
    return { imageRef: image.id, digest: image.id, dbUpdatedAt: db.updatedAt };
  }
  const digest = await resolveRegistryDigest(request.image, request.insecureRegistry === true);
  const at = request.image.indexOf("@");
  const repo = at >= 0 ? request.image.slice(0, at) : request.image.replace(/:[^/:]+$/, "");
  return { imageRef: `${repo}@${digest}`, digest, dbUpdatedAt: db.updatedAt };
}

/** The cache key: the same content, database and gate always give the same key. */
export function scanKey(subject: Pick<ScanSubject, "digest" | "dbUpdatedAt">, gate: GateSettings): string {
  const canonical = JSON.stringify([
    subject.digest,
    subject.dbUpdatedAt,
    gate.failOn,
    gate.ignoreUnfixed,
    [...gate.ignores]
      .map((i) => [i.id, i.reason, i.expires ?? "", [...(i.packages ?? [])].sort()])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  ]);
  return createHash("sha256").update(canonical).digest("hex").slice(0, 32);
}

function readCached(path: string): ScanResult | undefined {
  try {
    const cached = JSON.parse(readFileSync(path, "utf8")) as { key?: string; result?: ScanResult };
    return cached.result;
  } catch {
    return undefined;
  }
}

/** Writes atomically (rename), so a concurrent reader never sees half a report. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o644 });
  renameSync(tmp, path);
}

async function scannerVersion(binary: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(binary, ["version", "--format", "json"], {
      timeout: 15_000,
    });
    const v = (JSON.parse(stdout) as { Version?: unknown }).Version;
    return typeof v === "string" ? v : "";
  } catch {
    return "";
  }
}

/**
 * Scans an image and applies the gate. The result is cached by (digest, database date, gate):
 * an unchanged image, database and gate never run the scanner twice. Fails closed: every way the
 * scan cannot happen is a ScanError with its cause and fix, never an empty result.
 */
export async function scanImage(
  request: ScanRequest,
  gate: GateSettings,
  now: Date = new Date(),
): Promise<ScanOutcome> {
  const progress = request.onProgress ?? (() => {});
  progress(`resolving ${request.image}`);
  const subject = await resolveSubject(request);
  const key = scanKey(subject, gate);
  const reportDir = request.reportDir ?? defaultReportDir();
  mkdirSync(reportDir, { recursive: true });
  const resultPath = join(reportDir, `${key}.result.json`);
  let result = request.useCache === false ? undefined : readCached(resultPath);
  const scanned = result === undefined;
  if (!result) {
    const binary = request.trivyPath ?? defaultTrivyPath();
    progress(`scanning ${subject.digest.slice(0, 19)}… with trivy (database of ${subject.dbUpdatedAt})`);
    const scanResult = await runTrivy(
      {
        binary,
        cacheDir: request.cacheDir ?? defaultTrivyCacheDir(),
        // The content resolved above, not the tag, which may have moved since.
        image: subject.imageRef,
        label: request.image,
        source: request.source ?? ImageSource.Docker,
        ...(request.host ? { host: request.host } : {}),
        ...(request.insecureRegistry ? { insecureRegistry: true } : {}),
        timeoutMs: request.timeoutMs ?? 300_000,
      },
      subject.digest,
      subject.dbUpdatedAt,
    );
    result = { ...scanResult, image: request.image, scannerVersion: await scannerVersion(binary) };
    if (result.packages === 0 && !request.allowNoPackages) {
      throw new ScanError(
        ScanFailure.NothingToScan,
        `the scanner found no OS package database and no language packages in ${request.image}, so a clean result would mean nothing: add the package records to the image, or set allowNoPackages with a reason`,
      );
    }
    writeAtomic(resultPath, `${JSON.stringify({ key, result }, null, 2)}\n`);
  }
  const outcome = evaluateGate(result, gate, now);
  const report = buildScanReport(result, gate, outcome);
  const reportPath = join(reportDir, `${key}.json`);
  const sarifPath = join(reportDir, `${key}.sarif`);
  writeAtomic(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  writeAtomic(sarifPath, `${JSON.stringify(toScanSarif(report), null, 2)}\n`);
  return {
    imageRef: subject.imageRef,
    digest: subject.digest,
    key,
    result,
    outcome,
    report,
    reportPath,
    sarifPath,
    scanned,
  };
}
