import { join, relative, resolve } from "node:path";
import type { SegmentedNetworksArgs } from "../components/segmented-networks/args";
import type * as SegmentedNetworksSpec from "../components/segmented-networks/spec";
import type { NetworkTopology } from "../components/segmented-networks/topology";
import type { Finding, InputError } from "../engine/finding";
import type { ProfileId } from "../engine/profiles";
import { ProgramError, programEntry } from "../program/program-entry";
import { SEVERITIES, type Severity } from "../rules/rule";
import { runCheckWorker, toFinding } from "./commands/check-run";
import type { CliIo } from "./io";

export interface ProgramAuditOptions {
  profile: ProfileId;
  minSeverity: Severity;
  /** --rule: only these rule ids (empty: all). */
  only: readonly string[];
  /** --skip-rule. */
  skip: readonly string[];
  /** Seconds a program may run before it is stopped. */
  timeoutSeconds: number;
}

export interface ProgramAudit {
  findings: Finding[];
  /** Programs that could not run, each naming its directory. */
  errors: InputError[];
  /** The index file of each program that ran, as the report's file. */
  files: string[];
  /** The network topologies the programs declare, each with its program's index file. */
  topologies: { file: string; topology: NetworkTopology }[];
}

/**
 * The SegmentedNetworks planner (and zod, which its argument schemas are built with at load, some
 * 40 ms of CPU), required when a program declares SegmentedNetworks: an audit of files needs
 * neither. (`require` of this package's own compiled module, as main.ts loads commands; the tests
 * that audit such programs run the built CLI.)
 */
function segmentedNetworksSpec(): typeof SegmentedNetworksSpec {
  return require("../components/segmented-networks/spec");
}

/** The program's entry module, as a path under `dir` as the walk spelled it. */
function entryFile(dir: string): string {
  return join(dir, relative(resolve(dir), programEntry(dir)));
}

/** An error of the program in `dir`: the report names the directory, the message need not. */
function programError(dir: string, why: string): InputError {
  const message = why.startsWith(`${dir}: `) ? why.slice(dir.length + 2) : why;
  return { file: dir, message: `Pulumi program: ${message}` };
}

/** The last `error: …` line a worker printed, without the prefix. */
function lastError(stderr: string): string | undefined {
  const lines = stderr.split("\n").filter((l) => l.startsWith("error: "));
  return lines.at(-1)?.slice("error: ".length);
}

/**
 * `shipshape audit` on Pulumi programs found while walking: each runs through the same check
 * worker as `shipshape check` (mock runtime, policy pack with the audit's profile and minimum
 * severity), and each violation becomes a finding of the audit's report, attributed to the
 * program's index file. A program that cannot run (or runs past the timeout) is an input error
 * naming it; the others are still checked.
 */
export function auditPrograms(
  dirs: readonly string[],
  options: ProgramAuditOptions,
  io: CliIo,
): ProgramAudit {
  const result: ProgramAudit = { findings: [], errors: [], files: [], topologies: [] };
  const settings = JSON.stringify({ profile: options.profile, minSeverity: options.minSeverity });
  const only = new Set(options.only);
  const skip = new Set(options.skip);
  for (const dir of dirs) {
    let file: string;
    try {
      file = entryFile(dir);
    } catch (e) {
      if (!(e instanceof ProgramError)) throw e;
      result.errors.push(programError(dir, e.message));
      continue;
    }
    const run = runCheckWorker(dir, settings, "{}", options.timeoutSeconds, "--program-timeout");
    // What a program prints is shown on standard error, as `check` does; the report stays alone.
    if (run.stdout) io.stderr(run.stdout);
    if (run.output === undefined) {
      if (run.stderr) io.stderr(run.stderr);
      const why = run.failure ?? lastError(run.stderr) ?? `the check worker ended with status ${run.status}`;
      result.errors.push(programError(dir, why));
      continue;
    }
    if (run.stderr) io.stderr(run.stderr);
    result.files.push(file);
    const output = run.output;
    for (const s of output.segmentedNetworks ?? []) {
      const topology = segmentedNetworksSpec().planSegments(
        s.name,
        s.args as unknown as SegmentedNetworksArgs,
      ).topology;
      result.topologies.push({ file, topology });
    }
    for (const v of output.violations) {
      if (only.size > 0 && !only.has(v.policyName)) continue;
      if (skip.has(v.policyName)) continue;
      const finding = toFinding(v, output.resources, file);
      if (SEVERITIES.indexOf(finding.severity) < SEVERITIES.indexOf(options.minSeverity)) continue;
      result.findings.push(finding);
    }
  }
  return result;
}
