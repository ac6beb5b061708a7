import type * as k8s from "@pulumi/kubernetes";
import { type Platform, PlatformKind } from "./platform";

/** Pod Security Standards level enforced on the namespace. */
export enum PodSecurityLevel {
  Restricted = "restricted",
  Baseline = "baseline",
}

export interface KubernetesPlatformArgs {
  /** Namespace the components' objects go to. @default "default" */
  namespace?: string;
  /** Provider for the cluster. @default the ambient provider (current kubeconfig context) */
  provider?: k8s.Provider;
  /**
   * Pod Security level the namespace enforces. SecureService always renders pods that pass
   * `restricted`; on a `restricted` namespace it refuses overrides that would be rejected there.
   * @default PodSecurityLevel.Restricted
   */
  podSecurityLevel?: PodSecurityLevel;
  /**
   * Use shipshape's generated seccomp profiles as `Localhost` profiles
   * (`<kubelet seccomp root>/shipshape/<profile>.json`, installed on every node beforehand)
   * instead of the container runtime's default.
   * @default false (RuntimeDefault)
   */
  localhostSeccompProfiles?: boolean;
}

/** A Kubernetes namespace as a target for shipshape components. */
export class KubernetesPlatform implements Platform {
  readonly kind = PlatformKind.Kubernetes;
  readonly namespace: string;
  readonly provider: k8s.Provider | undefined;
  readonly podSecurityLevel: PodSecurityLevel;
  readonly localhostSeccompProfiles: boolean;

  constructor(args: KubernetesPlatformArgs = {}) {
    this.namespace = args.namespace ?? "default";
    this.provider = args.provider;
    this.podSecurityLevel = args.podSecurityLevel ?? PodSecurityLevel.Restricted;
    this.localhostSeccompProfiles = args.localhostSeccompProfiles ?? false;
  }
}

export function isKubernetesPlatform(p: Platform | undefined): p is KubernetesPlatform {
  return p?.kind === PlatformKind.Kubernetes;
}
