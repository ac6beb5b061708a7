import type { Container } from "./container";
import type { ObjectMeta } from "./meta";
import type { PodSecurityContext } from "./security";

/**
 * A volume a workload can mount. `type` is the Kubernetes volume-source field name
 * (`hostPath`, `emptyDir`, `secret`, …); Docker maps bind mounts to `hostPath`, tmpfs to
 * `emptyDir` with medium `Memory`, named volumes to `persistentVolumeClaim`, and the Docker
 * socket to `hostPath` as well.
 */
export interface WorkloadVolume {
  name: string;
  type: string;
  /** For `hostPath`: the host path. */
  hostPath?: string;
  /** For `emptyDir`: medium (`Memory` for tmpfs). */
  medium?: string;
  /** For tmpfs: mount options (`noexec`, `nosuid`, `nodev`, `size=…`). */
  options?: string[];
  /** For `secret` / `configMap` / `persistentVolumeClaim` / named volumes: what it refers to. */
  source?: string;
}

/**
 * A pod-like unit: one or more containers scheduled together sharing namespaces.
 * Kubernetes pod templates (of any controller) and Docker containers / Compose services map here.
 */
export interface Workload extends ObjectMeta {
  kind: "workload";
  /** The source's own kind: `Deployment`, `CronJob`, `compose-service`, `docker-container`… */
  sourceKind: string;
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  /** Docker's `--uts=host`; Kubernetes has no such field. */
  hostUTS?: boolean;
  /**
   * Whether the pod shares the host's user namespace. `false` means user namespaces are in use
   * (Kubernetes `hostUsers: false`, Docker `userns_mode` other than `host` on a remapped daemon).
   */
  hostUsers?: boolean;
  /** `linux` / `windows` when the pod spells it (`spec.os.name`). */
  os?: string;
  securityContext: PodSecurityContext;
  containers: Container[];
  volumes: WorkloadVolume[];
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  replicas?: number;
  restartPolicy?: { name: string; maxRetries?: number };
  /** Networks the workload joins (Docker); `default` for Compose's implicit network. */
  networks: string[];
  /** Docker's network mode when it is not a list of networks (`bridge`, `host`, `none`, `container:x`). */
  networkMode?: string;
  /** Logging driver and options (Docker). */
  logging?: { driver?: string; options?: Record<string, string> };
  /** Labels on the pod template (Kubernetes) — selectors match these. */
  podLabels: Record<string, string>;
  /** Annotations on the pod template (Kubernetes; AppArmor and seccomp annotations live here). */
  podAnnotations: Record<string, string>;
}
