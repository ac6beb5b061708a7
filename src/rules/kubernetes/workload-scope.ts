/**
 * Which workloads and containers the Kubernetes rules look at.
 *
 * Why: several checks (service accounts, namespaces, network policies, probes, requests,
 * pull policy) are Kubernetes concepts. A Compose service or `docker run` container maps onto
 * the same model but leaves those fields empty, and reporting their absence there would be
 * noise, so such rules declare `platforms: PlatformScope.Kubernetes` and the engine never hands
 * them a Docker object. Checks that mean the same on both platforms (image pinning, read-only
 * root, host mounts, limits, secrets in env) declare `PlatformScope.Both`.
 */
import type { Container, Workload } from "../../model";

/** Kinds whose pods run to completion, where health probes make no sense. */
const RUN_TO_COMPLETION_KINDS: ReadonlySet<string> = new Set(["Job", "CronJob"]);

/** Pods that are meant to keep running (not Jobs), where health probes make sense. */
export function isLongRunning(w: Workload): boolean {
  return !RUN_TO_COMPLETION_KINDS.has(w.sourceKind);
}

/** The namespace an object lands in; objects that name none are applied to `default`. */
export function effectiveNamespace(meta: { namespace?: string }): string {
  return meta.namespace ?? "default";
}

/** `container "app"`, `init container "setup"`, `ephemeral container "debug"`. */
export function containerLabel(c: Container): string {
  return c.role === "container" ? `container "${c.name}"` : `${c.role} container "${c.name}"`;
}

export interface ContainerAt {
  container: Container;
  /** The container's model path prefix (`containers.<i>`). */
  path: string;
}

const ALL_ROLES: readonly Container["role"][] = ["container", "init", "ephemeral"];

/** `containers.<i>` for the indexes pods have in practice, made once rather than per rule. */
const CONTAINER_PATHS = Array.from({ length: 32 }, (_, i) => `containers.${i}`);

/** Each container with its model path prefix (`containers.<i>`), of the given roles. */
export function eachContainer(w: Workload, roles: readonly Container["role"][] = ALL_ROLES): ContainerAt[] {
  // Roles are distinct: all three mean every container.
  const every = roles.length === ALL_ROLES.length;
  const out: ContainerAt[] = [];
  for (let i = 0; i < w.containers.length; i++) {
    const container = w.containers[i] as Container;
    if (every || roles.includes(container.role)) {
      out.push({ container, path: CONTAINER_PATHS[i] ?? `containers.${i}` });
    }
  }
  return out;
}
