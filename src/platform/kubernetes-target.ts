/** Pod Security Standards level enforced on the namespace. */
export enum PodSecurityLevel {
  Restricted = "restricted",
  Baseline = "baseline",
}

/**
 * A Kubernetes namespace as a component's target. The cluster comes from the Kubernetes
 * provider: the ambient one (current kubeconfig context), or one given through the component's
 * `opts.provider` / `opts.providers`.
 */
export interface KubernetesTargetArgs {
  /**
   * Namespace the component's objects go to.
   * @default "default" (written out on every object, so no object depends on the kubeconfig's context)
   */
  namespace?: string;
  /**
   * Pod Security level the namespace enforces. SecureService always renders pods that pass
   * `restricted`; on a `restricted` namespace it refuses overrides that would be rejected there.
   * @default PodSecurityLevel.Restricted (the strictest level; overrides that need less say so)
   */
  podSecurityLevel?: PodSecurityLevel;
  /**
   * Use shipshape's generated seccomp profiles as `Localhost` profiles
   * (`<kubelet seccomp root>/shipshape/<profile>.json`, installed on every node beforehand)
   * instead of the container runtime's default.
   * @default false (RuntimeDefault, which works on every node without preparation)
   */
  localhostSeccompProfiles?: boolean;
}
