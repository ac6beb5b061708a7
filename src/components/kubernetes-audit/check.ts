import * as pulumi from "@pulumi/pulumi";
import { AuditSeverity } from "../daemon-audit/types";
import { kubernetesAuditProvider } from "./provider";
import type { KubernetesAuditFinding } from "./types";

/** Which cluster the audit reads and when it fails the deployment. */
export interface KubernetesAuditArgs {
  /**
   * Kubeconfig file the audit reads the cluster with.
   * @default KUBECONFIG, else ~/.kube/config (the client's default loading)
   */
  kubeconfig?: pulumi.Input<string>;
  /** Context of the kubeconfig. @default its current context */
  context?: pulumi.Input<string>;
  /**
   * Audit only this namespace (and no cluster-scoped object but the Namespace itself).
   * @default every namespace but the control plane's own (kube-system, kube-public, kube-node-lease)
   */
  namespace?: pulumi.Input<string>;
  /** Fail the deployment when a finding reaches this severity. @default AuditSeverity.High */
  failOn?: pulumi.Input<AuditSeverity>;
}

/**
 * The dynamic resource that runs the audit in the provider's process; `KubernetesAudit` is the
 * component users declare around it.
 */
export class KubernetesAuditCheck extends pulumi.dynamic.Resource {
  declare readonly counts: pulumi.Output<Record<string, number>>;
  declare readonly total: pulumi.Output<number>;
  declare readonly blocking: pulumi.Output<number>;
  declare readonly findings: pulumi.Output<KubernetesAuditFinding[]>;
  declare readonly server: pulumi.Output<string>;
  declare readonly contextUsed: pulumi.Output<string>;
  declare readonly objects: pulumi.Output<number>;
  declare readonly fingerprint: pulumi.Output<string>;
  declare readonly notes: pulumi.Output<string[]>;

  constructor(name: string, args: KubernetesAuditArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      kubernetesAuditProvider,
      name,
      {
        kubeconfig: args.kubeconfig,
        context: args.context,
        namespace: args.namespace,
        failOn: args.failOn ?? AuditSeverity.High,
        server: undefined,
        contextUsed: undefined,
        counts: undefined,
        total: undefined,
        blocking: undefined,
        findings: undefined,
        objects: undefined,
        fingerprint: undefined,
        notes: undefined,
      },
      opts,
      "shipshape",
      "KubernetesAudit",
    );
  }
}
