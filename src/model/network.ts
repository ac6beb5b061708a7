import type { ObjectMeta } from "./meta";

/** A Docker network (Compose `networks:`, `docker network create`). */
export interface Network extends ObjectMeta {
  kind: "network";
  driver?: string;
  /** `internal: true` — no route to the outside. */
  internal?: boolean;
  /** Inter-container communication on the bridge (`com.docker.network.bridge.enable_icc`). */
  icc?: boolean;
  encrypted?: boolean;
  external?: boolean;
}

/** A Docker volume (Compose `volumes:`, `docker volume create`). */
export interface Volume extends ObjectMeta {
  kind: "volume";
  /** `PersistentVolumeClaim` for a Kubernetes claim; absent for Docker volumes. */
  sourceKind?: "PersistentVolumeClaim";
  /** A claim's `spec.storageClassName` (absent: the cluster's default class). */
  storageClassName?: string;
  driver?: string;
  driverOpts: Record<string, string>;
  external?: boolean;
}
