import { selectRules } from "../engine/audit";
import type { Finding } from "../engine/finding";
import type { ProfileId } from "../engine/profiles";
import { writeReport } from "../report/output";
import type { ReportedSuppression } from "../report/report";
import { summarize } from "../report/report";
import type { ReportFormat } from "../report/reporters";
import { printable } from "../report/untrusted";
import type { Rule, Severity } from "../rules/rule";
import { EngineUnreachableError } from "./engine";
import { liveAuditRules } from "./live-rules";
import { auditEngineSync } from "./sync";

/** What `shipshape audit --docker` needs from its command line. */
export interface LiveAuditFlags {
  format: ReportFormat;
  profile: ProfileId;
  minSeverity: Severity;
  rule: string[];
  skipRule: string[];
  output?: string;
  host?: string;
  containers: string[];
  daemonConfig?: string;
  /** Bound on the whole live read, in seconds. */
  timeout?: number;
}

export interface LiveAuditIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * `shipshape audit --docker`: audits a live engine and prints the report in the chosen format.
 * Exit codes as for files: 0 clean, 1 findings at or above --min-severity, 2 when the engine cannot
 * be reached or a container does not exist.
 */
export function runLiveAudit(flags: LiveAuditFlags, io: LiveAuditIo): number {
  const live = liveAuditParts(flags, io);
  if ("error" in live) {
    io.stderr(`error: ${printable(live.error)}\n`);
    return 2;
  }
  const report = {
    title: "shipshape audit --docker",
    findings: live.findings,
    errors: [],
    rules: live.rules,
    files: live.objects,
    suppressions: live.suppressions,
    summary: summarize({
      findings: live.findings,
      errors: [],
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
  return live.findings.length > 0 ? 1 : 0;
}

/** What a live audit contributes to a report, or why the engine could not be audited. */
export type LiveAuditParts =
  | { findings: Finding[]; rules: Rule[]; objects: string[]; suppressions: ReportedSuppression[] }
  | { error: string };

/**
 * Audits the live engine and returns its findings, the rules that ran and the objects audited
 * (`shipshape audit --docker`, alone or with paths in one report); notes go to standard error.
 */
export function liveAuditParts(flags: Omit<LiveAuditFlags, "format">, io: LiveAuditIo): LiveAuditParts {
  const options: Parameters<typeof auditEngineSync>[0] = {
    profile: flags.profile,
    minSeverity: flags.minSeverity,
    only: flags.rule,
    skip: flags.skipRule,
    containers: flags.containers,
  };
  if (flags.host !== undefined) options.host = flags.host;
  if (flags.daemonConfig !== undefined) options.daemonConfigFile = flags.daemonConfig;
  if (flags.timeout !== undefined) options.deadlineMs = flags.timeout * 1000;
  let result: ReturnType<typeof auditEngineSync>;
  try {
    result = auditEngineSync(options);
  } catch (error) {
    const prefix = error instanceof EngineUnreachableError ? "" : "live audit failed: ";
    return { error: `${prefix}${(error as Error).message}` };
  }
  for (const note of result.notes) io.stderr(`note: ${printable(note)}\n`);
  return {
    findings: result.findings,
    rules: selectRules({
      rules: liveAuditRules(),
      profile: flags.profile,
      only: flags.rule,
      skip: flags.skipRule,
    }),
    objects: result.objects,
    suppressions: result.suppressions,
  };
}
