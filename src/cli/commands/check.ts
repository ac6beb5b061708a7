import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";

import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { readTextFile } from "../../adapters/read-text";
import type { Finding } from "../../engine/finding";
import type { HarnessViolation } from "../../policy/harness";
import { summarize } from "../../report/report";
import { REPORT_FORMATS, type ReportFormat } from "../../report/reporters";
import { allRules, ruleById } from "../../rules/catalog";
import type { Severity } from "../../rules/rule";
import { type CliIo, EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, parseSeconds, UsageError } from "../io";
import { DEFAULT_PROGRAM_TIMEOUT_SECONDS, type ProgramRun, runProgramWorker } from "../program-worker";
import { emitReport } from "../report-output";

interface CheckFlags {
  format: ReportFormat;
  settings?: string;
  policyConfig?: string;
  output?: string;
  timeout: number;
}

export interface WorkerOutput {
  violations: HarnessViolation[];
  resources: { type: string; name: string; urn: string }[];
}

/** A check worker's run: its result when the program ran, what it printed either way. */
export type CheckRun = ProgramRun & { output?: WorkerOutput };

/**
 * Runs the policy pack on the program in `dir` in a check worker (its own process, stopped after
 * `timeoutSeconds`). `output` is set when the program ran; otherwise `failure` or `stderr` says why.
 */
export function runCheckWorker(
  dir: string,
  settings: string,
  config: string,
  timeoutSeconds: number,
  timeoutOption = "--timeout",
): CheckRun {
  const scratch = mkdtempSync(join(tmpdir(), "shipshape-check-"));
  try {
    const resultFile = join(scratch, "result.json");
    const run: CheckRun = runProgramWorker(
      [...workerCommand(), dir, settings, config, resultFile],
      dir,
      timeoutSeconds,
      timeoutOption,
    );
    if (!run.failure && run.status === 0)
      run.output = JSON.parse(readFileSync(resultFile, "utf8")) as WorkerOutput;
    return run;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function workerCommand(): string[] {
  const js = join(__dirname, "..", "..", "policy", "check-worker.js");
  if (existsSync(js)) return [js];
  return ["--import", "tsx", join(__dirname, "..", "..", "policy", "check-worker.ts")];
}

function readJsonOption(option: string, file: string | undefined): string {
  if (file === undefined) return "{}";
  // The same guards as audited files: a FIFO or a device here must not hang or flood the CLI.
  const read = readTextFile(file);
  if ("error" in read)
    throw new UsageError(`option '${option}' cannot read "${file}": ${read.error.message}`);
  try {
    JSON.parse(read.text);
    return read.text;
  } catch (e) {
    throw new UsageError(`option '${option}' cannot read JSON from "${file}": ${(e as Error).message}`);
  }
}

/**
 * A policy violation as an audit finding, so every report format can print it; attributed to
 * `file` when given (`audit` names the program's index file), else to the resource's URN.
 */
export function toFinding(v: HarnessViolation, resources: WorkerOutput["resources"], file?: string): Finding {
  const rule = ruleById(v.policyName);
  const resource = resources.find((r) => r.urn === v.urn);
  const severity: Severity = rule?.severity ?? (v.severity as Severity | undefined) ?? "high";
  return {
    ruleId: v.policyName,
    severity,
    message: `${v.message} (${v.enforcementLevel})`,
    file: file ?? v.urn ?? "(stack)",
    line: 1,
    column: 1,
    object: resource ? `${resource.type} ${resource.name}` : "stack",
    references: rule?.references ?? {},
    resourceIndex: resource ? resources.indexOf(resource) : -1,
  };
}

/** `shipshape check <program-dir>`: the policy pack on a program under the mock runtime. */
export function registerCheck(program: Command, io: CliIo, exit: (code: number) => void): void {
  program
    .command("check")
    .description(
      "Run a Pulumi TypeScript program under the mock runtime and evaluate the shipshape policy pack on what it registers: an offline gate with no Pulumi CLI or credentials.",
    )
    .argument("<program-dir>", "directory of the Pulumi program (with Pulumi.yaml)")
    .addOption(new Option("-f, --format <format>", "output format").choices(REPORT_FORMATS).default("text"))
    .option(
      "--settings <file>",
      "pack settings JSON (profile, minSeverity, levels, allowedRegistries, imageEvidenceTypes, verifiedImages, exemptions)",
    )
    .option("--policy-config <file>", "per-policy config JSON, as for `pulumi preview --policy-pack-config`")
    .option("-o, --output <file>", "write the report to this file instead of standard output")
    .addOption(
      new Option("--timeout <seconds>", "stop a program that has not finished after this long")
        .argParser(parseSeconds)
        .default(DEFAULT_PROGRAM_TIMEOUT_SECONDS),
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 no mandatory violation, 1 a mandatory violation, 2 the program cannot run or a bad option.",
    )
    .action((dir: string, flags: CheckFlags) => {
      const settings = readJsonOption("--settings", flags.settings);
      const config = readJsonOption("--policy-config", flags.policyConfig);
      const run = runCheckWorker(dir, settings, config, flags.timeout);
      // What the program prints is the user's to see, on stderr: stdout carries the report.
      if (run.stdout) io.stderr(run.stdout);
      if (run.stderr) io.stderr(run.stderr);
      const out = run.output;
      if (out === undefined) {
        if (run.failure) io.stderr(`error: ${run.failure}\n`);
        else if (!run.stderr) io.stderr(`error: the check worker ended with status ${run.status}\n`);
        exit(EXIT_INPUT);
        return;
      }
      const findings = out.violations.map((v) => toFinding(v, out.resources));
      const report = {
        title: "shipshape check",
        findings,
        errors: [],
        rules: allRules.filter((r) => findings.some((f) => f.ruleId === r.id)),
        files: out.resources.map((r) => r.urn),
        summary: summarize({
          findings,
          errors: [],
          filesAudited: out.resources.length,
          filesSkipped: 0,
          profile: "default",
          minSeverity: "info",
        }),
      };
      emitReport(flags.format, report, io, flags.output);
      exit(out.violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT_FINDINGS : EXIT_CLEAN);
    });
}
