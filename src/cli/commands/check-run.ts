import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";

import { tmpdir } from "node:os";
import { join } from "node:path";
import { readTextFile } from "../../adapters/read-text";
import type { NetworkTopology } from "../../components/segmented-networks/topology";
import type { Finding } from "../../engine/finding";
import type { HarnessViolation } from "../../policy/harness";
import { summarize } from "../../report/report";
import { allRules, ruleById } from "../../rules/catalog";
import type { Severity } from "../../rules/rule";
import { type CliIo, EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, UsageError } from "../io";
import { type ProgramRun, runProgramWorker } from "../program-worker";
import { emitReport } from "../report-output";

import type { CheckFlags } from "./check";

export interface WorkerOutput {
  violations: HarnessViolation[];
  resources: { type: string; name: string; urn: string }[];
  /** The topology of each SegmentedNetworks the program declares (reports draw them). */
  topologies?: NetworkTopology[];
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
  const js = join(__dirname, "..", "check-worker.js");
  if (existsSync(js)) return [js];
  return ["--import", "tsx", join(__dirname, "..", "check-worker.ts")];
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

/** What `shipshape check` does; sets `exit(code)` when done. */
export function checkAction(dir: string, flags: CheckFlags, io: CliIo, exit: (code: number) => void): void {
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
}
