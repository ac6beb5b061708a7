import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { packageModulePath } from "../../program/module-path";
import type { ImageScanInputs, ImageScanOutputs, ScanSummary } from "./types";

/**
 * The scan library, by absolute path: the provider runs in another process after closure
 * serialization, so it captures this string and requires the module there.
 */
const SCAN_MODULE = packageModulePath(join(__dirname, "..", "..", "scan"), "index");
/** In development the module is TypeScript: tsx's require hook, also by absolute path. */
const TS_HOOK = SCAN_MODULE.endsWith(".ts") ? require.resolve("tsx/cjs/api") : "";
/** Pulumi's marker for a value not known during preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SUMMARY_KEPT = 50;
/** Inputs whose change makes an update (the scan itself reruns only when the key changes). */
const COMPARED = [
  "image",
  "source",
  "host",
  "insecureRegistry",
  "failOn",
  "ignoreUnfixed",
  "ignores",
  "timeoutSeconds",
  "trivyPath",
  "cacheDir",
  "reportDir",
  "noPackagesReason",
  "imageRef",
  "scanKey",
  "recheckAfter",
  "reportPath",
  "summary",
] as const;

function hasUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value === null || typeof value !== "object") return false;
  return Object.values(value as Record<string, unknown>).some(hasUnknown);
}

function scanModule(): typeof import("../../scan") {
  if (TS_HOOK) require(TS_HOOK).register();
  return require(SCAN_MODULE) as typeof import("../../scan");
}

function gateOf(inputs: ImageScanInputs): import("../../scan").GateSettings {
  return {
    failOn: inputs.failOn as import("../../scan").ScanSeverityName,
    ignoreUnfixed: inputs.ignoreUnfixed,
    ignores: inputs.ignores ?? [],
  };
}

function requestOf(inputs: ImageScanInputs): import("../../scan").ScanRequest {
  const scan = scanModule();
  const request: import("../../scan").ScanRequest = {
    image: inputs.image,
    source: inputs.source === "registry" ? scan.ImageSource.Registry : scan.ImageSource.Docker,
    insecureRegistry: inputs.insecureRegistry,
    trivyPath: inputs.trivyPath,
    cacheDir: inputs.cacheDir,
    reportDir: inputs.reportDir,
    timeoutMs: inputs.timeoutSeconds * 1000,
    allowNoPackages: inputs.noPackagesReason !== "",
  };
  if (inputs.host) request.host = inputs.host;
  return request;
}

function summarize(o: import("../../scan").ScanOutcome): ScanSummary {
  return {
    image: o.report.image,
    digest: o.digest,
    os: o.report.os,
    packages: o.report.packages,
    databaseUpdatedAt: o.report.database.updatedAt,
    failOn: o.report.gate.failOn,
    passed: o.report.passed,
    counts: { ...o.report.counts },
    vulnerabilities: o.report.vulnerabilities.slice(0, SUMMARY_KEPT).map((v) => ({
      id: v.id,
      severity: v.severity,
      package: v.packageName,
      installed: v.installedVersion,
      fixed: v.fixedVersion ?? "",
      ignored: v.ignoredBecause ?? "",
    })),
    warnings: o.report.warnings,
  };
}

/**
 * Scans (or takes the cached result), applies the gate, and returns the outputs; a gate that
 * fails, and a scan that cannot run, become the message of a check failure.
 */
async function evaluate(inputs: ImageScanInputs, olds: Partial<ImageScanOutputs>): Promise<ImageScanOutputs> {
  const scan = scanModule();
  const gate = gateOf(inputs);
  const request = requestOf(inputs);
  const subject = await scan.resolveSubject(request);
  const key = scan.scanKey(subject, gate);
  const today = new Date().toISOString().slice(0, 10);
  // The same content, database and gate as the stored scan, whose verdict still holds: nothing to run.
  if (
    olds.scanKey === key &&
    olds.passed === true &&
    olds.summary &&
    (!olds.recheckAfter || today < olds.recheckAfter)
  ) {
    return { ...(olds as ImageScanOutputs), ...inputs };
  }
  const o = await scan.scanImage(request, gate);
  if (!o.outcome.passed) {
    throw new Error(
      `${o.outcome.blocking.length} vulnerabilit${o.outcome.blocking.length === 1 ? "y" : "ies"} at or above ${gate.failOn} in ${inputs.image} (${o.digest}):\n${scan.describeBlocking(o.outcome)}\n` +
        `Report: ${o.reportPath} (SARIF: ${o.sarifPath}).\n` +
        "Fix: rebuild the image on the fixed versions; or ignore an advisory that does not apply, with a reason (ignores), or raise failOn.",
    );
  }
  const expiries = o.outcome.ignored
    .map((i) => gate.ignores.find((g) => g.id === i.vulnerability.id && g.reason === i.reason)?.expires)
    .filter((d): d is string => typeof d === "string")
    .sort();
  const firstExpiry = expiries[0];
  return {
    ...inputs,
    imageRef: o.imageRef,
    digest: o.digest,
    databaseUpdatedAt: subject.dbUpdatedAt,
    scanKey: key,
    recheckAfter: firstExpiry
      ? new Date(Date.parse(`${firstExpiry}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
      : "",
    counts: { ...o.outcome.counts },
    passed: true,
    reportPath: o.reportPath,
    sarifPath: o.sarifPath,
    summary: summarize(o),
    warnings: o.outcome.warnings,
  };
}

/**
 * The dynamic provider of `ImageScan`. The scan runs in `check`, which Pulumi calls in preview and
 * in `up`, so a preview already fails on a vulnerable image; `create` and `update` store what
 * `check` found. Unknown inputs (an image still being built in preview) are left to `up`.
 */
export const imageScanProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds: Partial<ImageScanOutputs>, news: ImageScanInputs) {
    if (hasUnknown(news)) return { inputs: news };
    try {
      return { inputs: await evaluate(news, olds ?? {}) };
    } catch (error) {
      return {
        inputs: news,
        failures: [{ property: "image", reason: `ImageScan: ${(error as Error).message}` }],
      };
    }
  },

  async create(inputs: ImageScanOutputs) {
    return { id: `scan-${inputs.scanKey}`, outs: inputs };
  },

  async diff(_id: string, olds: ImageScanOutputs, news: ImageScanOutputs) {
    const changed = COMPARED.filter(
      (k) =>
        JSON.stringify((olds as unknown as Record<string, unknown>)[k] ?? null) !==
        JSON.stringify((news as unknown as Record<string, unknown>)[k] ?? null),
    );
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async update(_id: string, _olds: ImageScanOutputs, news: ImageScanOutputs) {
    return { outs: news };
  },

  async delete() {
    // A scan leaves only its reports, which stay in the report directory as a cache.
  },
};
