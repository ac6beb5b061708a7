import type { Workload } from "../../../model";

/**
 * True for workloads Docker runs: Compose services and `docker run` containers (live engine or
 * Pulumi `docker.Container`). Rules about Docker-only settings (restart policy, published
 * ports, PIDs limit, the default bridge) use this so they never fire on a Kubernetes pod,
 * where the same model field means something else or does not exist. Same test as the PSS
 * rules use, so both groups agree on what a Docker workload is.
 */
export function isDockerWorkload(w: Workload): boolean {
  const format = w.origin.format;
  if (format === "compose" || format === "docker-engine") return true;
  return w.sourceKind.startsWith("docker") || w.sourceKind.startsWith("compose");
}
