import { isIP } from "node:net";
import { type Command, Option } from "commander";
import { parseWorkloadKind } from "../../adapters/kubernetes";
import { applyFixes } from "../../audit/apply-fixes";
import { type AuditPathsOptions, type AuditRun, auditPaths } from "../../audit/audit-paths";
import { auditPathsParallel } from "../../audit/parallel-audit";
import { sortFindings } from "../../engine/audit";
import type { Finding, InputError } from "../../engine/finding";
import { isProfileId, PROFILES, type ProfileId } from "../../engine/profiles";
import { liveAuditParts, runLiveAudit } from "../../live/cli-audit";
import { type AuditReport, type ReportedSuppression, summarize } from "../../report/report";
import { REPORT_FORMATS, type ReportFormat } from "../../report/reporters";
import { reportedSuppressions } from "../../report/suppressions";
import { allRules, ruleById } from "../../rules/catalog";
import { portsAllInterfaces } from "../../rules/docker/workload/ports-all-interfaces";
import {
  LATEST_PSS_MINOR,
  PSS_VERSION_NAMES,
  parsePssVersion,
  pssVersionName,
} from "../../rules/pss/versions";
import { type Rule, SEVERITIES, type Severity } from "../../rules/rule";
import { auditPrograms } from "../audit-programs";
import {
  type CliIo,
  collectList,
  EXIT_CLEAN,
  EXIT_FINDINGS,
  EXIT_INPUT,
  parseJobs,
  parseSeconds,
  UsageError,
} from "../io";
import { DEFAULT_PROGRAM_TIMEOUT_SECONDS } from "../program-worker";
import { emitReport } from "../report-output";

interface AuditFlags {
  format: ReportFormat;
  profile: ProfileId;
  minSeverity: Severity;
  rule: string[];
  skipRule: string[];
  fix: boolean;
  strictKinds: boolean;
  workloadKind: string[];
  output?: string;
  docker: boolean;
  host?: string;
  containers: string[];
  daemonConfig?: string;
  bindPorts?: string;
  pssVersion: string;
  timeout: number;
  followSymlinks: boolean;
  programs: boolean;
  programTimeout: number;
  jobs?: number;
}

/** `shipshape audit <paths…>`; sets `exit(code)` when done. */
export function registerAudit(program: Command, io: CliIo, exit: (code: number) => void): void {
  program
    .command("audit")
    .description(
      "Audit Kubernetes manifests, Compose files, Dockerfiles, daemon.json files and Pulumi programs (directories are walked), and with --docker a live engine, in one report.",
    )
    .argument("[paths...]", "files and directories to audit (optional with --docker)")
    .addOption(new Option("-f, --format <format>", "output format").choices(REPORT_FORMATS).default("text"))
    .addOption(new Option("-p, --profile <profile>", "rule set to run").choices(PROFILES).default("default"))
    .addOption(
      new Option("--min-severity <severity>", "report (and fail on) findings at or above this severity")
        .choices(SEVERITIES)
        .default("info"),
    )
    .option(
      "--pss-version <version>",
      `Pod Security Standards version to enforce, v1.25 to ${pssVersionName(LATEST_PSS_MINOR)} or latest`,
      "latest",
    )
    .option("--rule <ids>", "run only these rules (repeatable, or a comma-separated list)", collectList, [])
    .option(
      "--skip-rule <ids>",
      "never run these rules (repeatable, or a comma-separated list)",
      collectList,
      [],
    )
    .option("--fix", "rewrite files with the automatic fixes of their findings", false)
    .option(
      "--bind-ports <address>",
      "with --fix: bind ports published on all interfaces to this host address (e.g. 127.0.0.1); sets ports-all-interfaces' bindAddress",
    )
    .option(
      "--strict-kinds",
      "report Kubernetes objects of kinds no rule checks (custom resources) as errors instead of counting them",
      false,
    )
    .option(
      "--workload-kind <group/Kind=path>",
      "audit a kind that embeds a pod template at path, e.g. argoproj.io/Rollout=spec.template (repeatable)",
      collectList,
      [],
    )
    // The default since kinds no rule checks are counted, not errors; kept for old scripts.
    .addOption(new Option("--allow-unknown-kinds").hideHelp())
    .option("-o, --output <file>", "write the report to this file instead of standard output")
    .addOption(
      new Option(
        "--timeout <seconds>",
        "give up on a pipe or FIFO that has not delivered all its data (with --docker: an engine that has not answered everything) after this long",
      )
        .argParser(parseSeconds)
        .default(60),
    )
    .option(
      "--follow-symlinks",
      "follow symbolic links in walked directories that lead outside the given paths (--fix still never writes through a link)",
      false,
    )
    .option(
      "--no-programs",
      "do not run the Pulumi programs (directories with a Pulumi.yaml of runtime nodejs) found in walked directories",
    )
    .addOption(
      new Option(
        "--program-timeout <seconds>",
        "stop a Pulumi program found in a walked directory that has not finished after this long",
      )
        .argParser(parseSeconds)
        .default(DEFAULT_PROGRAM_TIMEOUT_SECONDS),
    )
    .addOption(
      new Option(
        "--jobs <n>",
        "read, parse and audit files in this many worker threads (default: one per core, for 200 files or more; --fix and --format html use one)",
      ).argParser(parseJobs),
    )
    .option(
      "--docker",
      "also audit a live Docker engine (daemon and containers), alone or with paths in the same report",
      false,
    )
    .option(
      "--host <address>",
      "with --docker: engine address (unix:///…, tcp://…); default DOCKER_HOST or the local socket",
    )
    .option(
      "--containers <names>",
      "with --docker: audit only these containers (comma-separated)",
      collectList,
      [],
    )
    .option(
      "--daemon-config <file>",
      "with --docker: the daemon's daemon.json, when it is not the local dockerd's",
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 no findings, 1 findings at or above --min-severity, 2 unreadable or invalid input or a bad option.",
    )
    .action((paths: string[], flags: AuditFlags) => {
      if (flags.docker) {
        if (flags.fix)
          throw new UsageError(
            "--fix cannot change a live engine; `shipshape daemon-config` writes a hardened daemon.json",
          );
        if (paths.length === 0) {
          exit(runLiveAudit(flags, io));
          return;
        }
      }
      if (paths.length === 0)
        throw new UsageError("missing required argument 'paths' (or --docker to audit a live engine)");
      exit(runAudit(paths, flags, io));
    });
}

function runAudit(paths: string[], flags: AuditFlags, io: CliIo): number {
  // Commander checks choices; these guards keep the types honest for programmatic callers.
  if (!isProfileId(flags.profile)) throw new UsageError(`option '--profile' got "${flags.profile}"`);
  checkRuleIds("--rule", flags.rule);
  checkRuleIds("--skip-rule", flags.skipRule);
  const pssVersion = parsePssVersion(flags.pssVersion);
  if (pssVersion === undefined) {
    throw new UsageError(
      `option '--pss-version' got "${flags.pssVersion}"; give one of ${PSS_VERSION_NAMES.join(", ")}`,
    );
  }
  const options: AuditPathsOptions = {
    pssVersion,
    ...(flags.bindPorts === undefined ? {} : { parameters: bindPortsParameter(flags.bindPorts) }),
    profile: flags.profile,
    minSeverity: flags.minSeverity,
    only: flags.rule,
    skip: flags.skipRule,
    strictKinds: flags.strictKinds,
    workloadKinds: flags.workloadKind.map((text) => {
      const parsed = parseWorkloadKind(text);
      if (typeof parsed === "string") throw new UsageError(`option '--workload-kind' got ${parsed}`);
      return parsed;
    }),
    // Only a --fix run needs the files' texts after reading them.
    forFixing: flags.fix === true,
    // An HTML report quotes the lines of its findings.
    keepText: flags.format === "html",
    readTimeoutMs: flags.timeout * 1000,
    followSymlinks: flags.followSymlinks,
    programs: flags.programs !== false,
  };
  // The engine first: an unreachable engine is an input error, and the files are still audited.
  const live = flags.docker ? liveAuditParts(flags, io) : undefined;
  // --fix rewrites the objects it read, so it reads them in this thread.
  let run = flags.fix ? auditPaths(paths, options) : auditPathsParallel(paths, options, flags.jobs);
  const programs = auditPrograms(
    run.programs,
    {
      profile: flags.profile,
      minSeverity: flags.minSeverity,
      only: flags.rule,
      skip: flags.skipRule,
      timeoutSeconds: flags.programTimeout ?? DEFAULT_PROGRAM_TIMEOUT_SECONDS,
    },
    io,
  );
  let fixesApplied: number | undefined;
  const fixErrors: InputError[] = [];
  if (flags.fix) {
    const outcome = applyFixes(run, options);
    fixesApplied = outcome.fixed.reduce((n, f) => n + f.fixes, 0);
    fixErrors.push(...outcome.errors);
    // Report what is left after fixing: the rewritten files read as they now are, the others
    // as they were read (standard input and FIFOs cannot be read a second time).
    if (outcome.fixed.length > 0) {
      const rewritten = new Set(outcome.fixed.map((f) => f.file));
      const reuse = new Map(run.files.filter((f) => !rewritten.has(f.file)).map((f) => [f.file, f]));
      run = auditPaths(paths, { ...options, reuse });
    }
  }
  const liveError =
    live && "error" in live ? [{ file: flags.host ?? "docker engine", message: live.error }] : [];
  const liveParts =
    live && !("error" in live) ? live : { findings: [], rules: [], objects: [], suppressions: [] };
  const errors = [...run.errors, ...fixErrors, ...programs.errors, ...liveError];
  // One order for the whole report, as the file audit's own (file, line, column, rule id).
  const findings =
    programs.findings.length + liveParts.findings.length === 0
      ? run.findings
      : sortFindings([...run.findings, ...programs.findings, ...liveParts.findings]);
  const files = [...run.files.map((f) => f.file), ...programs.files, ...liveParts.objects];
  const summaryInput = {
    findings,
    errors,
    filesAudited: files.length,
    filesSkipped: run.skipped,
    profile: flags.profile,
    minSeverity: flags.minSeverity,
    ...(fixesApplied === undefined ? {} : { fixesApplied }),
    notAudited: run.notAudited,
  };
  const report = {
    findings,
    errors,
    rules: reportRules(run.rules, liveParts.rules, programs.findings),
    files,
    summary: summarize(summaryInput),
    ...(flags.format === "html" ? htmlExtras(run, liveParts.suppressions) : {}),
  };
  emitReport(flags.format, report, io, flags.output);
  if (errors.length > 0) return EXIT_INPUT;
  return findings.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

/**
 * The rules of a combined report: those that ran on the files, on the engine, and the policies
 * (rules by id) that programs violated, each once.
 */
function reportRules(
  files: readonly Rule[],
  live: readonly Rule[],
  programFindings: readonly Finding[],
): Rule[] {
  const out = new Map<string, Rule>();
  for (const r of [...files, ...live]) if (!out.has(r.id)) out.set(r.id, r);
  for (const f of programFindings) {
    const rule = ruleById(f.ruleId);
    if (rule && !out.has(rule.id)) out.set(rule.id, rule);
  }
  return [...out.values()];
}

/** What only the HTML report shows: the lines of the files with findings, and the suppressions (the engine's too). */
function htmlExtras(
  run: AuditRun,
  live: readonly ReportedSuppression[],
): Pick<AuditReport, "sources" | "suppressions"> {
  const withFindings = new Set(run.findings.map((f) => f.file));
  const sources = new Map<string, string>();
  for (const f of run.files)
    if (f.text !== undefined && withFindings.has(f.file)) sources.set(f.file, f.text);
  const files = reportedSuppressions(run.files.flatMap((f) => f.source?.resources ?? []));
  return { sources, suppressions: [...files, ...live] };
}

/** `--bind-ports <address>`: the ports-all-interfaces rule's `bindAddress`, which enables its fix. */
function bindPortsParameter(address: string): AuditPathsOptions["parameters"] {
  if (isIP(address) === 0) {
    throw new UsageError(
      `option '--bind-ports' got "${address}"; give an IPv4 or IPv6 address such as 127.0.0.1`,
    );
  }
  return { [portsAllInterfaces.id]: { bindAddress: address } };
}

function checkRuleIds(option: string, ids: readonly string[]): void {
  const known = new Set(allRules.map((r) => r.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length === 0) return;
  throw new UsageError(
    `option '${option}' got unknown rule id(s) ${unknown.map((id) => `"${id}"`).join(", ")}; valid ids: ${[...known].join(", ")} (\`shipshape rules\` describes them)`,
  );
}
