import { isIP } from "node:net";
import { parseWorkloadKind } from "../../adapters/kubernetes";
import { applyFixes } from "../../audit/apply-fixes";
import { type AuditPathsOptions, type AuditRun, auditPaths } from "../../audit/audit-paths";
import { AuditWorkerError, auditPathsParallel } from "../../audit/parallel-audit";
import { sortFindings } from "../../engine/audit";
import type { Finding, InputError } from "../../engine/finding";
import { isProfileId } from "../../engine/profiles";
import { renderDotSync, topologyDot } from "../../graph/dot";
import { liveAuditParts, runLiveAudit } from "../../live/cli-audit";
import { clusterAuditParts, runClusterAudit } from "../../live/kubernetes/cli-audit";
import {
  type AuditReport,
  type ReportedSuppression,
  type ReportedTopology,
  summarize,
} from "../../report/report";
import { reportedSuppressions } from "../../report/suppressions";
import { printable } from "../../report/untrusted";
import { allRules, ruleById } from "../../rules/catalog";
import { portsAllInterfaces } from "../../rules/docker/workload/ports-all-interfaces";
import { PSS_VERSION_NAMES, parsePssVersion } from "../../rules/pss/versions";
import type { Rule } from "../../rules/rule";
import { auditPrograms, type ProgramAudit } from "../audit-programs";
import { boundHeapGrowth } from "../heap-growth";
import { type CliIo, EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, UsageError } from "../io";
import { DEFAULT_PROGRAM_TIMEOUT_SECONDS } from "../program-worker";
import { emitReport } from "../report-output";
import type { AuditFlags } from "./audit";

/** What `shipshape audit <paths…>` does; sets `exit(code)` when done. */
export function auditAction(
  paths: string[],
  flags: AuditFlags,
  io: CliIo,
  exit: (code: number) => void,
): void {
  if (flags.docker) {
    if (flags.fix)
      throw new UsageError(
        "--fix cannot change a live engine; `shipshape daemon-config` writes a hardened daemon.json",
      );
    if (paths.length === 0 && !flags.kubernetes) {
      exit(runLiveAudit(flags, io));
      return;
    }
  }
  if (!flags.kubernetes && (flags.kubeconfig ?? flags.context ?? flags.namespace) !== undefined)
    throw new UsageError("--kubeconfig, --context and --namespace go with --kubernetes");
  if (flags.kubernetes) {
    if (flags.fix)
      throw new UsageError("--fix cannot change a live cluster; fix the manifests it was applied from");
    if (paths.length === 0 && !flags.docker) {
      exit(runClusterAudit(clusterFlags(flags), io));
      return;
    }
  }
  if (paths.length === 0 && !flags.kubernetes && !flags.docker)
    throw new UsageError(
      "missing required argument 'paths' (or --docker to audit a live engine, --kubernetes a live cluster)",
    );
  exit(runAudit(paths, flags, io));
}

function runAudit(paths: string[], flags: AuditFlags, io: CliIo): number {
  // One thread for sure with --jobs 1; a --fix run keeps every file's text, so it stays bounded.
  boundHeapGrowth(flags.jobs === 1 && flags.fix !== true);
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
  const cluster = flags.kubernetes ? clusterAuditParts(clusterFlags(flags), io) : undefined;
  // --fix rewrites the objects it read, so it reads them in this thread.
  let run: AuditRun;
  try {
    run = flags.fix
      ? auditPaths(paths, options)
      : auditPathsParallel(paths, options, flags.jobs, {
          ...(flags.workerHeap === undefined ? {} : { heapMiB: flags.workerHeap }),
        });
  } catch (e) {
    if (!(e instanceof AuditWorkerError)) throw e;
    io.stderr(`shipshape audit: ${printable(e.message)}\n`);
    return EXIT_INPUT;
  }
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
  const dockerParts =
    live && !("error" in live) ? live : { findings: [], rules: [], objects: [], suppressions: [] };
  const clusterError =
    cluster && "error" in cluster
      ? [{ file: flags.kubeconfig ?? "kubernetes cluster", message: cluster.error }]
      : [];
  const clusterParts =
    cluster && !("error" in cluster)
      ? cluster
      : { findings: [], errors: [], rules: [], objects: [], suppressions: [] };
  const liveParts = {
    findings: [...dockerParts.findings, ...clusterParts.findings],
    rules: [...dockerParts.rules, ...clusterParts.rules],
    objects: [...dockerParts.objects, ...clusterParts.objects],
    suppressions: [...dockerParts.suppressions, ...clusterParts.suppressions],
  };
  const errors = [
    ...run.errors,
    ...fixErrors,
    ...programs.errors,
    ...liveError,
    ...clusterError,
    ...clusterParts.errors,
  ];
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
    ...(flags.format === "html" ? htmlExtras(run, liveParts.suppressions, programs.topologies) : {}),
  };
  emitReport(flags.format, report, io, flags.output);
  if (errors.length > 0) return EXIT_INPUT;
  return findings.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

/** The cluster audit's flags of `shipshape audit --kubernetes`. */
function clusterFlags(flags: AuditFlags): Parameters<typeof runClusterAudit>[0] {
  const pssVersion = parsePssVersion(flags.pssVersion);
  if (pssVersion === undefined) {
    throw new UsageError(
      `option '--pss-version' got "${flags.pssVersion}"; give one of ${PSS_VERSION_NAMES.join(", ")}`,
    );
  }
  checkRuleIds("--rule", flags.rule);
  checkRuleIds("--skip-rule", flags.skipRule);
  return {
    format: flags.format,
    profile: flags.profile,
    minSeverity: flags.minSeverity,
    rule: flags.rule,
    skipRule: flags.skipRule,
    pssVersion,
    timeout: flags.timeout,
    ...(flags.output === undefined ? {} : { output: flags.output }),
    ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
    ...(flags.context === undefined ? {} : { context: flags.context }),
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
  };
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

/**
 * What only the HTML report shows: the lines of the files with findings, the suppressions (the
 * engine's too), and the pictures of the programs' network topologies (drawn by Graphviz).
 */
function htmlExtras(
  run: AuditRun,
  live: readonly ReportedSuppression[],
  topologies: ProgramAudit["topologies"],
): Pick<AuditReport, "sources" | "suppressions" | "topologies"> {
  const withFindings = new Set(run.findings.map((f) => f.file));
  const sources = new Map<string, string>();
  for (const f of run.files)
    if (f.text !== undefined && withFindings.has(f.file)) sources.set(f.file, f.text);
  const files = reportedSuppressions(run.files.flatMap((f) => f.source?.resources ?? []));
  return { sources, suppressions: [...files, ...live], topologies: topologies.map(drawTopology) };
}

function drawTopology({ file, topology }: ProgramAudit["topologies"][number]): ReportedTopology {
  const drawn = renderDotSync(topologyDot(topology), "svg");
  return {
    file,
    name: topology.prefix,
    services: topology.services.map((s) => s.name),
    edges: topology.edges.map((e) => `${e.from} → ${e.to}`),
    ...("image" in drawn ? { svg: drawn.image.toString("utf8") } : { error: drawn.error }),
  };
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
