import type { AuditSeverity, DaemonAuditFinding } from "../daemon-audit/types";

/** What the provider receives (resolved inputs). */
export interface KubernetesAuditInputs {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  failOn: AuditSeverity;
}

/** One finding, as kept in the resource's outputs (as DaemonAudit keeps them). */
export type KubernetesAuditFinding = DaemonAuditFinding;

/** What the provider stores: the inputs plus the outcome of the last audit. */
export interface KubernetesAuditOutputs extends KubernetesAuditInputs {
  /** The API server audited. */
  server: string;
  /** The kubeconfig context used. */
  contextUsed: string;
  /** Findings per severity. */
  counts: Record<string, number>;
  total: number;
  /** Findings at or above `failOn` (zero whenever the resource exists: more fail the deployment). */
  blocking: number;
  /** Every finding, most severe first (at most 200 kept). */
  findings: KubernetesAuditFinding[];
  /** Number of objects audited. */
  objects: number;
  /** Changes when the set of findings changes, so `pulumi up` re-runs the gate on drift. */
  fingerprint: string;
  notes: string[];
}
