import { parse as parseYaml } from "yaml";
import { writeFileAtomic } from "../audit/atomic-write";
import { printable, printableLines } from "../report/untrusted";
import type { ScanIgnore } from "../scan/gate";
import { type ScanReport, toScanSarif, toScanTable } from "../scan/report";
import { scanSync } from "../scan/sync";
import { ImageSource } from "../scan/trivy";
import { SCAN_SEVERITIES, type ScanSeverityName, scanSeverityRank } from "../scan/types";
import { type CliIo, EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT } from "./io";

export interface ScanFlags {
  tool: string;
  severity: string;
  format: "table" | "json" | "sarif";
  output?: string;
  exitOnFailure?: boolean;
  verbose?: boolean;
  ignoreUnfixed?: boolean;
  ignoreFile?: string;
  blockCritical?: boolean;
  maxVulns?: number;
  host?: string;
  registry?: boolean;
  insecureRegistry?: boolean;
  cacheDir?: string;
  trivy?: string;
  timeout?: number;
  cache: boolean;
}

class ScanInputError extends Error {}

function parseSeverities(list: string): ScanSeverityName[] {
  const words = list
    .split(",")
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean)
    .map((w) => (w === "moderate" ? "medium" : w));
  const bad = words.filter((w) => !(SCAN_SEVERITIES as readonly string[]).includes(w));
  if (words.length === 0 || bad.length > 0) {
    throw new ScanInputError(
      `option '-s, --severity' got ${JSON.stringify(list)}: use a comma-separated list of ${SCAN_SEVERITIES.join(", ")}, e.g. critical,high`,
    );
  }
  return [...new Set(words as ScanSeverityName[])];
}

const IGNORE_KEYS = new Set(["id", "reason", "expires", "packages"]);

/** Reads an ignore file: a list of { id, reason, expires?, packages? }, each with a real reason. */
export function parseIgnoreFile(path: string, text: string): ScanIgnore[] {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ScanInputError(`${path}: not JSON or YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const list = data === null || data === undefined ? [] : data;
  if (!Array.isArray(list))
    throw new ScanInputError(`${path}: expected a list of ignores ({ id, reason, expires? })`);
  return list.map((entry, i) => {
    const at = `${path}: ignore ${i + 1}`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new ScanInputError(`${at} is not an object { id, reason, expires? }`);
    }
    const e = entry as Record<string, unknown>;
    const unknown = Object.keys(e).filter((k) => !IGNORE_KEYS.has(k));
    if (unknown.length > 0)
      throw new ScanInputError(
        `${at} has unknown field(s) ${unknown.join(", ")}: use id, reason, expires, packages`,
      );
    if (typeof e.id !== "string" || !/^[A-Za-z][A-Za-z0-9]*-\S+$/.test(e.id)) {
      throw new ScanInputError(
        `${at}: id must be an advisory id such as CVE-2021-23337 (got ${printable(JSON.stringify(e.id) ?? "nothing")})`,
      );
    }
    if (typeof e.reason !== "string" || e.reason.trim().length < 10) {
      throw new ScanInputError(`${at} (${e.id}): reason must say why in at least 10 characters`);
    }
    const ignore: ScanIgnore = { id: e.id, reason: e.reason.trim() };
    if (e.expires !== undefined) {
      const day = e.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : e.expires;
      if (
        typeof day !== "string" ||
        !/^\d{4}-\d{2}-\d{2}$/.test(day) ||
        Number.isNaN(Date.parse(`${day}T00:00:00Z`))
      ) {
        throw new ScanInputError(`${at} (${e.id}): expires must be a day, YYYY-MM-DD`);
      }
      ignore.expires = day;
    }
    if (e.packages !== undefined) {
      if (!Array.isArray(e.packages) || !e.packages.every((p) => typeof p === "string" && p !== "")) {
        throw new ScanInputError(`${at} (${e.id}): packages must be a list of package names`);
      }
      ignore.packages = e.packages as string[];
    }
    return ignore;
  });
}

/** The report with only the listed severities, as trivy's own --severity shows it. */
function onlySeverities(report: ScanReport, severities: readonly ScanSeverityName[]): ScanReport {
  const vulnerabilities = report.vulnerabilities.filter((v) => severities.includes(v.severity));
  return { ...report, vulnerabilities, passed: !vulnerabilities.some((v) => v.blocking) };
}

function render(report: ScanReport, format: ScanFlags["format"]): string {
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  if (format === "sarif") return `${JSON.stringify(toScanSarif(report), null, 2)}\n`;
  return toScanTable(report);
}

/** `shipshape scan`: returns the exit code (0 clean, 1 gate failed, 2 cannot scan). */
export function runScan(
  image: string,
  flags: ScanFlags,
  io: CliIo,
  readFile: (path: string) => string,
): number {
  let severities: ScanSeverityName[];
  let ignores: ScanIgnore[] = [];
  try {
    severities = parseSeverities(flags.severity);
    if (flags.ignoreFile) {
      let text: string;
      try {
        text = readFile(flags.ignoreFile);
      } catch (error) {
        throw new ScanInputError(
          `cannot read the ignore file ${flags.ignoreFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
      }
      ignores = parseIgnoreFile(flags.ignoreFile, text);
    }
  } catch (error) {
    if (!(error instanceof ScanInputError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return EXIT_INPUT;
  }
  const failOn = severities.reduce((low, s) => (scanSeverityRank(s) < scanSeverityRank(low) ? s : low));
  const request = {
    image,
    source: flags.registry ? ImageSource.Registry : ImageSource.Docker,
    ...(flags.host ? { host: flags.host } : {}),
    ...(flags.insecureRegistry ? { insecureRegistry: true } : {}),
    ...(flags.cacheDir ? { cacheDir: flags.cacheDir } : {}),
    ...(flags.trivy ? { trivyPath: flags.trivy } : {}),
    ...(flags.timeout ? { timeoutMs: Math.round(flags.timeout * 1000) } : {}),
    useCache: flags.cache,
  };
  if (!flags.verbose) io.stderr(`scan: scanning ${printable(image)} with trivy…\n`);
  const outcome = scanSync({
    request,
    gate: { failOn, ignoreUnfixed: flags.ignoreUnfixed === true, ignores },
    progress: flags.verbose === true,
  });
  if (!outcome.ok) {
    io.stderr(`error: cannot scan ${printable(image)}: ${printableLines(outcome.message)}\n`);
    return EXIT_INPUT;
  }
  const report = onlySeverities(outcome.report, severities);
  const text = render(report, flags.format);
  if (flags.output) {
    try {
      writeFileAtomic(flags.output, (write) => write(text));
    } catch (error) {
      io.stderr(`error: option '--output': cannot write "${flags.output}": ${(error as Error).message}\n`);
      return EXIT_INPUT;
    }
  } else io.stdout(text);
  if (flags.verbose) {
    io.stderr(
      `scan: ${outcome.scanned ? "scanned" : "cached result"}; reports ${outcome.reportPath} and ${outcome.sarifPath}\n`,
    );
  }
  const counted = report.vulnerabilities.filter((v) => v.ignoredBecause === undefined);
  const reasons: string[] = [];
  if (flags.exitOnFailure && !report.passed) reasons.push(`vulnerabilities at or above ${failOn}`);
  if (flags.blockCritical && counted.some((v) => v.severity === "critical"))
    reasons.push("a critical vulnerability (--block-critical)");
  if (flags.maxVulns !== undefined && counted.length > flags.maxVulns) {
    reasons.push(`${counted.length} vulnerabilities, more than --max-vulns ${flags.maxVulns}`);
  }
  for (const w of report.warnings) io.stderr(`warning: ${printable(w)}\n`);
  if (reasons.length > 0) {
    io.stderr(`scan: gate failed for ${printable(image)}: ${reasons.join("; ")}\n`);
    return EXIT_FINDINGS;
  }
  io.stderr(
    `scan: ${counted.length} vulnerabilit${counted.length === 1 ? "y" : "ies"} of ${severities.join(", ")} in ${printable(image)}\n`,
  );
  return EXIT_CLEAN;
}
