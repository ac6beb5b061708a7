import type { Workload } from "../../../model";

/** Source kinds of workloads that Docker (not Kubernetes) runs. */
const DOCKER_SOURCE_KINDS = new Set(["compose-service", "docker-container"]);

/**
 * True for workloads Docker runs: Compose services, `docker run` containers (live engine or
 * Pulumi `docker.Container`). Rules about Docker-only settings (restart policy, published
 * ports, PIDs limit, the default bridge) use this so they never fire on a Kubernetes pod,
 * where the same model field means something else or does not exist.
 */
export function isDockerWorkload(w: Workload): boolean {
  return (
    w.origin.format === "compose" ||
    w.origin.format === "docker-engine" ||
    DOCKER_SOURCE_KINDS.has(w.sourceKind)
  );
}
