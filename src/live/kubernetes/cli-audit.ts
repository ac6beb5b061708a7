import type { Finding, InputError } from "../../engine/finding";
import type { ProfileId } from "../../engine/profiles";
import { writeReport } from "../../report/output";
import type { ReportedSuppression } from "../../report/report";
import { summarize } from "../../report/report";
import type { ReportFormat } from "../../report/reporters";
import { printable } from "../../report/untrusted";
import type { PssMinor } from "../../rules/pss/versions";
import type { Rule, Severity } from "../../rules/rule";
import { clusterAuditRules } from "./audit-cluster";
import { ClusterUnreachableError } from "./read-cluster";
import { auditClusterSync } from "./sync";

/** What `shipshape audit --kubernetes` needs from its command line. */
export interface ClusterAuditFlags {
  format: ReportFormat;
  profile: ProfileId;
  minSeverity: Severity;
  rule: string[];
  skipRule: string[];
  output?: string;
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  pssVersion?: PssMinor;
  /** Bound on the whole live read, in seconds. */
  timeout?: number;
}

export interface ClusterAuditIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** What a cluster audit contributes to a report, or why the cluster could not be audited. */
export type ClusterAuditParts =
  | {
      findings: Finding[];
      errors: InputError[];
      rules: Rule[];
      objects: string[];
      suppressions: ReportedSuppression[];
    }
  | { error: string };

/** Audits the cluster (notes go to standard error). */
export function clusterAuditParts(
  flags: Omit<ClusterAuditFlags, "format">,
  io: ClusterAuditIo,
): ClusterAuditParts {
  const options: Parameters<typeof auditClusterSync>[0] = {
    profile: flags.profile,
    minSeverity: flags.minSeverity,
    only: flags.rule,
    skip: flags.skipRule,
  };
  if (flags.kubeconfig !== undefined) options.kubeconfig = flags.kubeconfig;
  if (flags.context !== undefined) options.context = flags.context;
  if (flags.namespace !== undefined) options.namespace = flags.namespace;
  if (flags.pssVersion !== undefined) options.pssVersion = flags.pssVersion;
  if (flags.timeout !== undefined) options.deadlineMs = flags.timeout * 1000;
  let result: ReturnType<typeof auditClusterSync>;
  try {
    result = auditClusterSync(options);
  } catch (error) {
    const prefix = error instanceof ClusterUnreachableError ? "" : "cluster audit failed: ";
    return { error: `${prefix}${(error as Error).message}` };
  }
  for (const note of result.notes) io.stderr(`note: ${printable(note)}\n`);
  return {
    findings: result.findings,
    errors: result.errors,
    rules: clusterAuditRules(options),
    objects: result.objects,
    suppressions: result.suppressions,
  };
}

/**
 * `shipshape audit --kubernetes`: audits a live cluster and prints the report in the chosen format.
 * Exit codes as for files: 0 clean, 1 findings at or above --min-severity, 2 when the cluster
 * cannot be read or an object cannot be read.
 */
export function runClusterAudit(flags: ClusterAuditFlags, io: ClusterAuditIo): number {
  const live = clusterAuditParts(flags, io);
  if ("error" in live) {
    io.stderr(`error: ${printable(live.error)}\n`);
    return 2;
  }
  const report = {
    title: "shipshape audit --kubernetes",
    findings: live.findings,
    errors: live.errors,
    rules: live.rules,
    files: live.objects,
    suppressions: live.suppressions,
    summary: summarize({
      findings: live.findings,
      errors: live.errors,
      filesAudited: live.objects.length,
      filesSkipped: 0,
      profile: flags.profile,
      minSeverity: flags.minSeverity,
    }),
  };
  try {
    writeReport(flags.format, report, io.stdout, flags.output);
  } catch (error) {
    if (flags.output === undefined) throw error;
    io.stderr(`error: option '--output' ${(error as Error).message}\n`);
    return 2;
  }
  if (live.errors.length > 0) return 2;
  return live.findings.length > 0 ? 1 : 0;
}
