/** Severity at which a live audit fails the deployment (an enum, for other Pulumi languages). */
export enum AuditSeverity {
  Critical = "critical",
  High = "high",
  Medium = "medium",
  Low = "low",
  Info = "info",
}

/** What the provider receives (resolved inputs). */
export interface DaemonAuditInputs {
  host?: string;
  containers?: string[];
  daemonConfigFile?: string;
  failOn: AuditSeverity;
}

/** One finding, as kept in the resource's outputs. */
export interface DaemonAuditFinding {
  ruleId: string;
  severity: string;
  object: string;
  file: string;
  message: string;
}

/** What the provider stores: the inputs plus the outcome of the last audit. */
export interface DaemonAuditOutputs extends DaemonAuditInputs {
  engine: string;
  serverVersion: string;
  /** Findings per severity. */
  counts: Record<string, number>;
  total: number;
  /** Findings at or above `failOn` (zero whenever the resource exists: more fail the deployment). */
  blocking: number;
  /** Every finding, most severe first (at most 200 kept). */
  findings: DaemonAuditFinding[];
  /** Changes when the set of findings changes, so `pulumi up` re-runs the gate on drift. */
  fingerprint: string;
  notes: string[];
}
