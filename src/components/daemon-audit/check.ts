import * as pulumi from "@pulumi/pulumi";
import { daemonAuditProvider } from "./provider";
import { AuditSeverity, type DaemonAuditFinding } from "./types";

/** What the audit checks and when it fails the deployment. */
export interface DaemonAuditArgs {
  /** Engine address (`unix:///…`, `tcp://…`). @default DOCKER_HOST, else the local socket */
  host?: pulumi.Input<string>;
  /** Audit only these containers. @default every container */
  containers?: pulumi.Input<pulumi.Input<string>[]>;
  /** The daemon's daemon.json when it is not the local dockerd's. @default found from the local dockerd */
  daemonConfigFile?: pulumi.Input<string>;
  /** Fail the deployment when a finding reaches this severity. @default AuditSeverity.High */
  failOn?: pulumi.Input<AuditSeverity>;
}

/**
 * The dynamic resource that runs the audit in the provider's process; `DaemonAudit` is the
 * component users declare around it.
 */
export class DaemonAuditCheck extends pulumi.dynamic.Resource {
  /** Findings per severity (`critical`, `high`, `medium`, `low`, `info`). */
  declare readonly counts: pulumi.Output<Record<string, number>>;
  declare readonly total: pulumi.Output<number>;
  /** Findings at or above failOn: always 0 for a resource that exists. */
  declare readonly blocking: pulumi.Output<number>;
  declare readonly findings: pulumi.Output<DaemonAuditFinding[]>;
  declare readonly engine: pulumi.Output<string>;
  declare readonly serverVersion: pulumi.Output<string>;
  declare readonly fingerprint: pulumi.Output<string>;
  declare readonly notes: pulumi.Output<string[]>;

  constructor(name: string, args: DaemonAuditArgs = {}, opts?: pulumi.CustomResourceOptions) {
    super(
      daemonAuditProvider,
      name,
      {
        host: args.host,
        containers: args.containers ?? [],
        daemonConfigFile: args.daemonConfigFile,
        failOn: args.failOn ?? AuditSeverity.High,
        counts: undefined,
        total: undefined,
        blocking: undefined,
        findings: undefined,
        engine: undefined,
        serverVersion: undefined,
        fingerprint: undefined,
        notes: undefined,
      },
      opts,
      "shipshape",
      "DaemonAudit",
    );
  }
}
