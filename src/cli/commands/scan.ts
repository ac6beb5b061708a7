import { readFileSync } from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import { type CliIo, parseSeconds } from "../io";
import type { ScanFlags } from "../scan-command";

type ScanModule = typeof import("../scan-command");

function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`"${value}" is not a whole number of vulnerabilities, e.g. 0 or 10`);
  return n;
}

/**
 * `shipshape scan IMAGE`: the seed's scanner script as a command. Exit codes as the audit's:
 * 0 clean (or findings without -e), 1 the gate failed (with -e, --block-critical or --max-vulns),
 * 2 the image cannot be scanned.
 */
export function registerScan(
  program: Command,
  io: CliIo,
  exit: (code: number) => void,
  load: () => ScanModule,
): void {
  program
    .command("scan")
    .description(
      "Scan an image for known vulnerabilities with trivy and its offline database; progress on stderr, the report on stdout or --output.",
    )
    .argument(
      "<image>",
      "image reference: a local engine image (name:tag, sha256:ID) or, with --registry, host/repository:tag",
    )
    .addOption(new Option("-t, --tool <tool>", "scanner").choices(["trivy"]).default("trivy"))
    .option(
      "-s, --severity <levels>",
      "comma-separated severities to report and gate on (critical, high, medium, low, unknown)",
      "critical,high",
    )
    .addOption(
      new Option("-f, --format <format>", "report format")
        .choices(["table", "json", "sarif"])
        .default("table"),
    )
    .option("-o, --output <file>", "write the report to a file (replaced atomically) instead of stdout")
    .option("-e, --exit-on-failure", "exit 1 when a vulnerability of a listed severity is found")
    .option("-v, --verbose", "print each step and the report paths on stderr")
    .option("--ignore-unfixed", "vulnerabilities without a fixed version do not fail the gate")
    .option("--ignore-file <file>", "JSON or YAML list of ignores: { id, reason, expires?, packages? }")
    .option("--block-critical", "exit 1 when any critical vulnerability is found, even without -e")
    .option(
      "--max-vulns <n>",
      "exit 1 when more than N vulnerabilities of the listed severities are found",
      parseCount,
    )
    .option("--host <address>", "Docker engine address (default DOCKER_HOST, else the local socket)")
    .option("--registry", "read the image from its registry instead of the engine")
    .option("--insecure-registry", "the registry speaks plain HTTP")
    .option(
      "--cache-dir <dir>",
      "trivy cache directory holding db/trivy.db (default: the offline DB setup builds)",
    )
    .option("--trivy <path>", "trivy binary (default SHIPSHAPE_TRIVY, else the one setup builds)")
    .option("--timeout <seconds>", "stop the scanner after this many seconds (default 300)", parseSeconds)
    .option("--no-cache", "scan even when a result for this image, database and gate is cached")
    .action((image: string, flags: ScanFlags) => {
      // The scan's work loads when it runs, not for `shipshape --help`.
      exit(load().runScan(image, flags, io, (path) => readFileSync(path, "utf8")));
    });
}
