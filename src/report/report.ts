import type { Finding, InputError, NotAudited } from "../engine/finding";
import type { ProfileId } from "../engine/profiles";
import type { Rule, Severity } from "../rules/rule";
import { SEVERITIES } from "../rules/rule";

/** Counts that every format prints at the end. */
export interface AuditSummary {
  /** Files read (a file with an error counts too). */
  filesAudited: number;
  /** Files found in directories that are not a format shipshape reads. */
  filesSkipped: number;
  filesWithFindings: number;
  filesWithErrors: number;
  findings: number;
  errors: number;
  bySeverity: Record<Severity, number>;
  profile: ProfileId;
  minSeverity: Severity;
  /** Findings fixed by `--fix`; present only when fixing. */
  fixesApplied?: number;
  /**
   * Objects left out because no rule checks their kind, with the count per kind (`ConfigMap`,
   * `monitoring.coreos.com/ServiceMonitor`); present only when there are some.
   */
  notAudited?: { objects: number; kinds: Record<string, number> };
}

/** Everything a reporter needs. */
export interface AuditReport {
  findings: readonly Finding[];
  errors: readonly InputError[];
  /** The rules that ran (SARIF lists them). */
  rules: readonly Rule[];
  /** Every file read, in walk order (JUnit lists clean files as passing). */
  files: readonly string[];
  summary: AuditSummary;
  /** The page's heading, for formats that have one (HTML). @default "shipshape audit" */
  title?: string;
  /**
   * The audited files' texts by file name, for formats that quote the lines of a finding
   * (HTML); present only when the run kept them.
   */
  sources?: ReadonlyMap<string, string>;
  /** The suppressions written in the audited objects, with their reasons (HTML lists them). */
  suppressions?: readonly ReportedSuppression[];
  /** Pictures of the network topologies the audited programs declare (HTML embeds them). */
  topologies?: readonly ReportedTopology[];
}

/** A program's network topology, drawn: an SVG, or why it could not be drawn. */
export interface ReportedTopology {
  /** The program's index file. */
  file: string;
  /** The topology's name prefix. */
  name: string;
  /** Service names and allowed edges (`a → b`), for text alternatives. */
  services: readonly string[];
  edges: readonly string[];
  svg?: string;
  error?: string;
}

/** A suppression as written in an audited object. */
export interface ReportedSuppression {
  ruleIds: readonly string[];
  reason: string;
  form: "annotation" | "label" | "comment";
  /** `Deployment default/web`. */
  object: string;
  file: string;
  line: number;
  column: number;
}

/** Turns a report into the text of one output format. */
export type Reporter = (report: AuditReport) => string;

/** Receives a report's text piece by piece, in order. */
export type ReportSink = (chunk: string) => void;

/**
 * Writes a report in one output format to `write`, a finding at a time: a report of millions of
 * findings never exists as one string (which V8 caps at about 512 MiB) or one object tree.
 */
export type ReportWriter = (report: AuditReport, write: ReportSink) => void;

/** A writer's whole output as one string, for small reports and tests. */
export function collectReport(writer: ReportWriter): Reporter {
  return (report) => {
    const parts: string[] = [];
    writer(report, (chunk) => {
      parts.push(chunk);
    });
    return parts.join("");
  };
}

export interface SummaryInput {
  findings: readonly Finding[];
  errors: readonly InputError[];
  filesAudited: number;
  filesSkipped: number;
  profile: ProfileId;
  minSeverity: Severity;
  fixesApplied?: number;
  notAudited?: readonly NotAudited[];
}

/** `ConfigMap` for the core group, `monitoring.coreos.com/ServiceMonitor` otherwise. */
function kindName(n: NotAudited): string {
  const slash = n.apiVersion.indexOf("/");
  return slash < 0 ? n.kind : `${n.apiVersion.slice(0, slash)}/${n.kind}`;
}

export function summarize(input: SummaryInput): AuditSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  // Findings come sorted by file: a file is looked up in the set only where the file changes.
  const filesWithFindings = new Set<string>();
  let lastFile: string | undefined;
  for (const f of input.findings) {
    bySeverity[f.severity]++;
    if (f.file === lastFile) continue;
    lastFile = f.file;
    filesWithFindings.add(lastFile);
  }
  const summary: AuditSummary = {
    filesAudited: input.filesAudited,
    filesSkipped: input.filesSkipped,
    filesWithFindings: filesWithFindings.size,
    filesWithErrors: new Set(input.errors.map((e) => e.file)).size,
    findings: input.findings.length,
    errors: input.errors.length,
    bySeverity,
    profile: input.profile,
    minSeverity: input.minSeverity,
  };
  if (input.fixesApplied !== undefined) summary.fixesApplied = input.fixesApplied;
  if (input.notAudited && input.notAudited.length > 0) {
    const kinds: Record<string, number> = {};
    for (const n of input.notAudited) {
      const name = kindName(n);
      kinds[name] = (kinds[name] ?? 0) + 1;
    }
    // Most frequent first, then by name, so the summary line names the bulk of them.
    const sorted = Object.entries(kinds).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    summary.notAudited = { objects: input.notAudited.length, kinds: Object.fromEntries(sorted) };
  }
  return summary;
}

/** Severities from the most to the least severe, for display. */
export const SEVERITIES_DESCENDING: readonly Severity[] = [...SEVERITIES].reverse();

/** `3 findings (1 high, 2 medium), 1 error, 12 files` */
export function summaryLine(summary: AuditSummary): string {
  const counts = SEVERITIES_DESCENDING.filter((s) => summary.bySeverity[s] > 0).map(
    (s) => `${summary.bySeverity[s]} ${s}`,
  );
  const parts = [
    `${plural(summary.findings, "finding")}${counts.length > 0 ? ` (${counts.join(", ")})` : ""}`,
    plural(summary.errors, "error"),
    `${plural(summary.filesAudited, "file")} audited`,
  ];
  if (summary.filesSkipped > 0) parts.push(`${summary.filesSkipped} skipped`);
  if (summary.fixesApplied !== undefined)
    parts.push(`${plural(summary.fixesApplied, "fix", "fixes")} applied`);
  let line = parts.join(", ");
  if (summary.notAudited) {
    const kinds = Object.entries(summary.notAudited.kinds);
    const named = kinds.slice(0, NAMED_KINDS).map(([k, n]) => `${k} ${n}`);
    if (kinds.length > NAMED_KINDS) named.push(`${kinds.length - NAMED_KINDS} more`);
    line += `; ${plural(summary.notAudited.objects, "object")} of ${plural(kinds.length, "kind")} not audited (no rule checks them: ${named.join(", ")})`;
  }
  return line;
}

/** How many kinds the summary line names before "N more". */
const NAMED_KINDS = 5;

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
