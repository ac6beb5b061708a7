import type { Resource } from "./resource";

/** The platform an object belongs to. */
export enum ObjectPlatform {
  Docker = "docker",
  Kubernetes = "kubernetes",
}

/** Kinds of model object only Docker has (Pulumi's `docker.Network`, `docker.Volume` included). */
const DOCKER_KINDS: ReadonlySet<Resource["kind"]> = new Set(["network", "volume", "daemon", "build"]);

/**
 * The platform of an object, from the format it was read from: Kubernetes manifests are
 * Kubernetes; Compose files, Dockerfiles, daemon.json and live engines are Docker. Pulumi
 * resources say by their type: `docker.Container` workloads (`docker-…` source kinds), networks
 * and volumes are Docker, everything else Kubernetes.
 */
export function platformOf(r: Resource): ObjectPlatform {
  switch (r.origin.format) {
    case "kubernetes":
      return ObjectPlatform.Kubernetes;
    case "pulumi":
      if (r.kind === "volume" && r.sourceKind === "PersistentVolumeClaim") return ObjectPlatform.Kubernetes;
      if (DOCKER_KINDS.has(r.kind)) return ObjectPlatform.Docker;
      return r.kind === "workload" && r.sourceKind.startsWith("docker")
        ? ObjectPlatform.Docker
        : ObjectPlatform.Kubernetes;
    default:
      return ObjectPlatform.Docker;
  }
}
