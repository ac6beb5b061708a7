import * as pulumi from "@pulumi/pulumi";
import { ComponentArgsError } from "../validation/issues";
import { type KubernetesAuditArgs, KubernetesAuditCheck } from "./check";
import type { KubernetesAuditFinding } from "./types";
import { validateKubernetesAuditArgs } from "./validate";

export type { KubernetesAuditArgs };

/**
 * Runs the same rules as `shipshape audit` on the live objects of a Kubernetes cluster (workloads,
 * RBAC, NetworkPolicies, ServiceAccounts, Services, namespaces) during `pulumi up`, and fails the
 * deployment when a finding reaches `failOn`. A cluster it cannot read fails the deployment too.
 * Its outputs carry the counts and the findings. `shipshape audit --kubernetes` is the same audit
 * from the command line.
 */
export class KubernetesAudit extends pulumi.ComponentResource {
  /** Findings per severity (`critical`, `high`, `medium`, `low`, `info`). */
  readonly counts: pulumi.Output<Record<string, number>>;
  /** Number of findings. */
  readonly total: pulumi.Output<number>;
  /** Findings at or above failOn: always 0 for an audit that exists. */
  readonly blocking: pulumi.Output<number>;
  /** Every finding, most severe first (at most 200 kept). */
  readonly findings: pulumi.Output<KubernetesAuditFinding[]>;
  /** The API server audited. */
  readonly server: pulumi.Output<string>;
  /** The kubeconfig context used. */
  readonly contextUsed: pulumi.Output<string>;
  /** Number of objects audited. */
  readonly objects: pulumi.Output<number>;
  /** Changes when the set of findings changes, so `pulumi up` runs the gate again on drift. */
  readonly fingerprint: pulumi.Output<string>;
  /** What the audit left out, and why. */
  readonly notes: pulumi.Output<string[]>;

  constructor(name: string, args: KubernetesAuditArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const issues = validateKubernetesAuditArgs(args);
    if (issues.length > 0) throw new ComponentArgsError("KubernetesAudit", name, issues);
    super("shipshape:index:KubernetesAudit", name, {}, opts);
    const check = new KubernetesAuditCheck(name, args, { parent: this });
    this.counts = check.counts;
    this.total = check.total;
    this.blocking = check.blocking;
    this.findings = check.findings;
    this.server = check.server;
    this.contextUsed = check.contextUsed;
    this.objects = check.objects;
    this.fingerprint = check.fingerprint;
    this.notes = check.notes;
    this.registerOutputs({
      counts: this.counts,
      total: this.total,
      blocking: this.blocking,
      findings: this.findings,
      server: this.server,
      contextUsed: this.contextUsed,
      objects: this.objects,
      fingerprint: this.fingerprint,
      notes: this.notes,
    });
  }
}
