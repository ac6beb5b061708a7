import * as pulumi from "@pulumi/pulumi";
import { type DaemonAuditArgs, DaemonAuditCheck } from "./check";
import type { DaemonAuditFinding } from "./types";

export type { DaemonAuditArgs };

/**
 * Runs the live CIS Docker Benchmark audit (sections 2 and 5, and the image checks inspect data
 * allows) during `pulumi up` and fails the deployment when a finding reaches `failOn`. An engine
 * it cannot reach fails the deployment too. Its outputs carry the counts and the findings.
 */
export class DaemonAudit extends pulumi.ComponentResource {
  /** Findings per severity (`critical`, `high`, `medium`, `low`, `info`). */
  readonly counts: pulumi.Output<Record<string, number>>;
  /** Number of findings. */
  readonly total: pulumi.Output<number>;
  /** Findings at or above failOn: always 0 for an audit that exists. */
  readonly blocking: pulumi.Output<number>;
  /** Every finding, most severe first (at most 200 kept). */
  readonly findings: pulumi.Output<DaemonAuditFinding[]>;
  /** The engine audited. */
  readonly engine: pulumi.Output<string>;
  /** The engine's version. */
  readonly serverVersion: pulumi.Output<string>;
  /** Changes when the set of findings changes, so `pulumi up` runs the gate again on drift. */
  readonly fingerprint: pulumi.Output<string>;
  /** What the audit could not check, and why. */
  readonly notes: pulumi.Output<string[]>;

  constructor(name: string, args: DaemonAuditArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("shipshape:index:DaemonAudit", name, {}, opts);
    // Earlier versions declared the check itself under the caller's parent: the alias keeps
    // those deployments' audit instead of replacing it.
    const check = new DaemonAuditCheck(name, args, {
      parent: this,
      aliases: [{ parent: opts?.parent ?? pulumi.rootStackResource }],
    });
    this.counts = check.counts;
    this.total = check.total;
    this.blocking = check.blocking;
    this.findings = check.findings;
    this.engine = check.engine;
    this.serverVersion = check.serverVersion;
    this.fingerprint = check.fingerprint;
    this.notes = check.notes;
    this.registerOutputs({
      counts: this.counts,
      total: this.total,
      blocking: this.blocking,
      findings: this.findings,
      engine: this.engine,
      serverVersion: this.serverVersion,
      fingerprint: this.fingerprint,
      notes: this.notes,
    });
  }
}
