/**
 * Which workloads and containers the Kubernetes rules look at.
 *
 * Why: several checks (service accounts, namespaces, network policies, probes, requests,
 * pull policy) are Kubernetes concepts. A Compose service or `docker run` container maps onto
 * the same model but leaves those fields empty, and reporting their absence there would be
 * noise, so such rules ask `isKubernetesWorkload` first. Checks that mean the same on both
 * platforms (image pinning, read-only root, host mounts, limits, secrets in env) run on both.
 */
import type { Container, Workload } from "../../model";

/** Kinds whose pod template the Kubernetes adapters (files, Pulumi props) read. */
const KUBERNETES_WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  "Pod",
  "PodTemplate",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "ReplicationController",
  "Job",
  "CronJob",
]);

/** Controllers of long-running pods, where health probes make sense (not Jobs). */
const LONG_RUNNING_KINDS: ReadonlySet<string> = new Set([
  "Pod",
  "PodTemplate",
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "ReplicaSet",
  "ReplicationController",
]);

export function isKubernetesWorkload(w: Workload): boolean {
  return KUBERNETES_WORKLOAD_KINDS.has(w.sourceKind);
}

export function isLongRunningKubernetesWorkload(w: Workload): boolean {
  return LONG_RUNNING_KINDS.has(w.sourceKind);
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

/** Every container of a workload with its path, built once per workload: most rules ask. */
const containersAt = new WeakMap<Workload, { source: Container[]; all: readonly ContainerAt[] }>();

const ALL_ROLES: readonly Container["role"][] = ["container", "init", "ephemeral"];

/** Each container with its model path prefix (`containers.<i>`), of the given roles. */
export function eachContainer(
  w: Workload,
  roles: readonly Container["role"][] = ALL_ROLES,
): readonly ContainerAt[] {
  let entry = containersAt.get(w);
  // Checked against the containers each time: a caller may have replaced them since.
  if (entry === undefined || entry.source !== w.containers || entry.all.length !== w.containers.length) {
    entry = {
      source: w.containers,
      all: w.containers.map((container, i) => ({ container, path: `containers.${i}` })),
    };
    containersAt.set(w, entry);
  }
  // Roles are distinct: all three mean every container.
  if (roles.length === ALL_ROLES.length) return entry.all;
  const out: ContainerAt[] = [];
  for (const c of entry.all) if (roles.includes(c.container.role)) out.push(c);
  return out;
}
