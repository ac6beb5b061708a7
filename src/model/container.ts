import type { ImageRef } from "./image";
import type { SecurityContext } from "./security";

/** Regular containers, init containers and ephemeral (debug) containers all get checked. */
export type ContainerRole = "container" | "init" | "ephemeral";

export interface EnvVar {
  name: string;
  /** Literal value, when the source spells it out. */
  value?: string;
  /** Reference to a secret (Kubernetes `secretKeyRef`, Compose/Docker secrets). */
  secretRef?: { name: string; key?: string };
  /** Reference to some other non-literal source (configMap, field, resource). */
  otherRef?: string;
}

export interface PortBinding {
  containerPort: number;
  protocol?: string;
  /**
   * Host port the container port is published on. Kubernetes: 0 or absent means not on the
   * host. Docker: every declared port is published, 0 meaning an ephemeral host port.
   */
  hostPort?: number;
  /** Interface the host port binds to; absent means all interfaces. */
  hostIP?: string;
}

export interface ResourceLimits {
  cpuRequest?: string;
  cpuLimit?: string;
  memoryRequest?: string;
  memoryLimit?: string;
  /** Maximum number of processes (Docker `pids_limit`). */
  pidsLimit?: number;
  /** CPU shares (Docker) — relative weight. */
  cpuShares?: number;
}

export interface Probe {
  kind: "liveness" | "readiness" | "startup" | "healthcheck";
  /** True for Docker `HEALTHCHECK NONE` / `healthcheck: { disable: true }`. */
  disabled?: boolean;
}

/**
 * A probe or lifecycle hook that makes a network call (`httpGet`, `tcpSocket`), and the host it
 * calls. Kubernetes runs these from the node, so a host other than the pod's own reaches
 * whatever the node can reach.
 */
export interface NetworkHook {
  handler: "liveness" | "readiness" | "startup" | "postStart" | "preStop";
  action: "httpGet" | "tcpSocket";
  /** The `host` field as written; absent or empty means the pod's own IP. */
  host?: string;
}

export interface VolumeMount {
  /** Name of the workload volume (see Workload.volumes) this mount uses. */
  volume: string;
  mountPath: string;
  readOnly?: boolean;
  /** Propagation (`Bidirectional`/`rshared` lets the container mount into the host). */
  propagation?: string;
}

export interface Device {
  hostPath: string;
  containerPath?: string;
  permissions?: string;
}

export interface Container {
  name: string;
  role: ContainerRole;
  image?: ImageRef;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  env: EnvVar[];
  /** Names of whole secrets/config sources imported as env (`envFrom`). */
  envFromSecrets: string[];
  ports: PortBinding[];
  securityContext: SecurityContext;
  resources: ResourceLimits;
  probes: Probe[];
  /** Network-calling probes and hooks (Kubernetes); model path `hooks.<i>.host`. */
  hooks?: NetworkHook[];
  mounts: VolumeMount[];
  devices: Device[];
  /** Docker ulimits by name; absent for Kubernetes. */
  ulimits?: Record<string, { soft?: number; hard?: number }>;
}
