/**
 * `shipshape audit`: its options and help. What it does is in audit-run.ts, loaded only when it runs
 * (help loads none of the engine).
 */
import { type Command, Option } from "commander";
import { PROFILES, type ProfileId } from "../../engine/profiles";
import { REPORT_FORMATS, type ReportFormat } from "../../report/formats";
import { LATEST_PSS_MINOR, pssVersionName } from "../../rules/pss/versions";
import { SEVERITIES, type Severity } from "../../rules/severity";
import { type CliIo, collectList, parseHeapMiB, parseJobs, parseSeconds } from "../io";
import { DEFAULT_PROGRAM_TIMEOUT_SECONDS } from "../program-worker";

export interface AuditFlags {
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
  kubernetes: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  bindPorts?: string;
  pssVersion: string;
  timeout: number;
  followSymlinks: boolean;
  programs: boolean;
  programTimeout: number;
  jobs?: number;
  workerHeap?: number;
}

/** `shipshape audit <paths…>`; sets `exit(code)` when done. */
export function registerAudit(
  program: Command,
  io: CliIo,
  exit: (code: number) => void,
  load: () => typeof import("./audit-run"),
): void {
  program
    .command("audit")
    .description(
      "Audit Kubernetes manifests, Compose files, Dockerfiles, daemon.json files and Pulumi programs (directories are walked), and with --docker a live engine (with --kubernetes a live cluster), in one report.",
    )
    .argument("[paths...]", "files and directories to audit (optional with --docker or --kubernetes)")
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
        "read, parse and audit files in this many threads, this one and n-1 workers (default: one per core for 2,000 files or more, else one; --fix and --format html use one)",
      ).argParser(parseJobs),
    )
    .addOption(
      new Option(
        "--worker-heap <MiB>",
        "with --jobs: the most heap each worker thread's objects may take; a worker over it stops the audit, naming its files (default: V8's limit)",
      ).argParser(parseHeapMiB),
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
    .option(
      "--kubernetes",
      "also audit the live objects of a Kubernetes cluster (workloads, RBAC, NetworkPolicies, ServiceAccounts, Services, namespaces), alone or with paths",
      false,
    )
    .option("--kubeconfig <file>", "with --kubernetes: the kubeconfig; default KUBECONFIG or ~/.kube/config")
    .option("--context <name>", "with --kubernetes: the kubeconfig context; default its current context")
    .option(
      "--namespace <name>",
      "with --kubernetes: audit only this namespace; default every namespace but the control plane's own",
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 no findings, 1 findings at or above --min-severity, 2 unreadable or invalid input or a bad option.",
    )
    .action((paths: string[], flags: AuditFlags) => load().auditAction(paths, flags, io, exit));
}
