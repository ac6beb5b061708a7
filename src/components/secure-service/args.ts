import type * as pulumi from "@pulumi/pulumi";
import type { DockerTargetArgs } from "../../platform/docker-target";
import type { KubernetesTargetArgs } from "../../platform/kubernetes-target";
import type { AppType, ProfileTemplate } from "../runtime-profile/syscalls";

/** Transport protocol of a port. */
export enum Protocol {
  Tcp = "TCP",
  Udp = "UDP",
}

/** Linux capabilities, by the name Docker and Kubernetes use (without `CAP_`). */
export enum Capability {
  AuditControl = "AUDIT_CONTROL",
  AuditRead = "AUDIT_READ",
  AuditWrite = "AUDIT_WRITE",
  BlockSuspend = "BLOCK_SUSPEND",
  Bpf = "BPF",
  CheckpointRestore = "CHECKPOINT_RESTORE",
  Chown = "CHOWN",
  DacOverride = "DAC_OVERRIDE",
  DacReadSearch = "DAC_READ_SEARCH",
  Fowner = "FOWNER",
  Fsetid = "FSETID",
  IpcLock = "IPC_LOCK",
  IpcOwner = "IPC_OWNER",
  Kill = "KILL",
  Lease = "LEASE",
  LinuxImmutable = "LINUX_IMMUTABLE",
  MacAdmin = "MAC_ADMIN",
  MacOverride = "MAC_OVERRIDE",
  Mknod = "MKNOD",
  NetAdmin = "NET_ADMIN",
  NetBindService = "NET_BIND_SERVICE",
  NetBroadcast = "NET_BROADCAST",
  NetRaw = "NET_RAW",
  Perfmon = "PERFMON",
  Setfcap = "SETFCAP",
  Setgid = "SETGID",
  Setpcap = "SETPCAP",
  Setuid = "SETUID",
  SysAdmin = "SYS_ADMIN",
  SysBoot = "SYS_BOOT",
  SysChroot = "SYS_CHROOT",
  SysModule = "SYS_MODULE",
  SysNice = "SYS_NICE",
  SysPacct = "SYS_PACCT",
  SysPtrace = "SYS_PTRACE",
  SysRawio = "SYS_RAWIO",
  SysResource = "SYS_RESOURCE",
  SysTime = "SYS_TIME",
  SysTtyConfig = "SYS_TTY_CONFIG",
  Syslog = "SYSLOG",
  WakeAlarm = "WAKE_ALARM",
}

/** Capabilities `capabilities` may add without an override (what Pod Security `restricted` allows). */
export const ALLOWED_CAPABILITIES: readonly Capability[] = [Capability.NetBindService];

/** Capabilities no override can add: each one breaks the container boundary. */
export const FORBIDDEN_CAPABILITIES: readonly Capability[] = [
  Capability.SysAdmin,
  Capability.SysModule,
  Capability.SysRawio,
  Capability.SysBoot,
  Capability.SysPtrace,
  Capability.SysTime,
  Capability.MacAdmin,
  Capability.MacOverride,
  Capability.Bpf,
  Capability.Perfmon,
  Capability.DacReadSearch,
  Capability.NetAdmin,
];

/** A weakening, and why it is acceptable. The reason is written onto the resources. */
export interface OverrideReason {
  /** Why this service needs the weakening (at least 10 characters). */
  reason: string;
}

/**
 * The engine's socket, mounted read-only at `/var/run/docker.sock` (Docker only), for a service
 * that reads the Engine API (an exporter, a monitor). Read-only keeps the container from
 * replacing or removing the socket file; the API behind it still answers every request, so the
 * service must be trusted with the engine, must publish no port, and belongs on an internal
 * network only.
 */
export interface EngineSocketOverride extends OverrideReason {
  /**
   * The group id, as the container sees it, that the engine lets use its socket: added to the
   * service's groups. The local engine: the socket's group (`stat -c %g /var/run/docker.sock`).
   * shipshape's hardened engine (userns-remap) grants 10900 (scripts/hardened-engine.sh).
   */
  groupId: number;
  /** The socket's path on the engine's host. @default "/var/run/docker.sock" (the engine's default) */
  socketPath?: string;
}

export interface CapabilityOverride extends OverrideReason {
  /** Capabilities beyond the allow-list (never the forbidden ones, e.g. SYS_ADMIN). */
  capabilities: Capability[];
}

/** Named weakenings. Each is off unless given, and each carries a reason. */
export interface SecureServiceOverrides {
  /** Root filesystem stays writable. @default none (read-only root filesystem) */
  writableRootFilesystem?: OverrideReason;
  /** Capabilities beyond NET_BIND_SERVICE. @default none */
  extraCapabilities?: CapabilityOverride;
  /** Publish ports on every host interface (Docker). @default none (the platform's bind address) */
  publicBind?: OverrideReason;
  /** No default-deny NetworkPolicy (Kubernetes), e.g. when another component wires it. @default none */
  skipNetworkPolicy?: OverrideReason;
  /** Deploy to Kubernetes by tag rather than by digest. @default none (digest required there) */
  mutableImageTag?: OverrideReason;
  /** Docker: the engine's socket, read-only, for a service that reads the Engine API. @default none (no socket) */
  engineSocket?: EngineSocketOverride;
}

export interface ServicePortArgs {
  /** Port the process listens on inside the container (1–65535). */
  containerPort: number;
  /** Docker: host port to publish on. Kubernetes: the Service port. @default containerPort */
  hostPort?: number;
  /** @default Protocol.Tcp */
  protocol?: Protocol;
  /** Port name (Kubernetes). @default "p<containerPort>" */
  name?: string;
}

export interface HealthCheckArgs {
  /** Command run inside the container; exit 0 means healthy. Needed on Docker. @default none */
  command?: string[];
  /** Kubernetes: HTTP GET path on `port` instead of a command. @default none */
  httpGetPath?: string;
  /** Port for `httpGetPath`. @default the first port */
  port?: number;
  /** @default 30 */
  intervalSeconds?: number;
  /** @default 5 */
  timeoutSeconds?: number;
  /** @default 3 */
  retries?: number;
  /** @default 10 */
  startPeriodSeconds?: number;
}

export interface ResourceArgs {
  /** CPU limit: cores (`"0.5"`, `"2"`) or millicores (`"500m"`). @default "500m" */
  cpu?: string;
  /** Memory limit with a unit (`"256Mi"`, `"1Gi"`). @default "256Mi" */
  memory?: string;
  /** CPU request (Kubernetes). @default the limit */
  cpuRequest?: string;
  /** Memory request (Kubernetes). @default the limit */
  memoryRequest?: string;
  /** Maximum number of processes. @default 256 */
  pids?: number;
}

export interface VolumeArgs {
  /**
   * An existing Docker named volume / Kubernetes PersistentVolumeClaim, by name (give exactly one
   * of `name` and `volume`).
   * @default none
   */
  name?: string;
  /**
   * An EncryptedVolume's `volumeRef` output (give exactly one of `name` and `volume`): ephemeral or
   * encrypted at rest, owned by the service's user.
   * @default none
   */
  volume?: pulumi.Input<string>;
  /** Absolute path inside the container. */
  mountPath: string;
  /** @default false */
  readOnly?: boolean;
}

/** A secret the service reads from a file. */
export interface SecretFileArgs {
  /**
   * The secret's value: a `SecretStore`'s `values["name"]`, or any Pulumi secret. It is made a
   * Pulumi secret here if it is not one already, and never shown in messages.
   */
  value: pulumi.Input<string>;
  /** Absolute path of the file inside the container, under `/run/secrets/` (e.g. `/run/secrets/api-key`). */
  path: string;
  /**
   * File mode: `0o400` (256, the owner only) or `0o440` (288, the service's group too). Nothing
   * wider: no other uid reads a secret.
   * @default 0o400 (256): only the service's own uid reads it
   */
  mode?: number;
}

/** Pods allowed to connect (Kubernetes NetworkPolicy peers). */
export interface ConnectionArgs {
  /** Labels of the peer pods. */
  podLabels: Record<string, string>;
  /** Labels of the peer namespaces. @default the service's own namespace */
  namespaceLabels?: Record<string, string>;
  /** Ports allowed (egress: the peer's ports). @default the service's ports (ingress) / any (egress) */
  ports?: number[];
}

/** A SegmentedNetworks a service joins, by name (Docker: its networks; Kubernetes: its policies select the pods). */
export interface SegmentMembershipArgs {
  /** The SegmentedNetworks' `attachments` output: the networks of every topology service, by name. */
  networks: pulumi.Input<Record<string, string[]>>;
  /**
   * The service's name in the topology. On Kubernetes the policies select pods by
   * `app.kubernetes.io/name`, the SecureService's name, so there it must be that name.
   * @default the SecureService's name
   */
  service?: string;
}

export interface RuntimeProfileSelection {
  /** @default AppType.Web */
  appType?: AppType;
  /** @default ProfileTemplate.Default */
  template?: ProfileTemplate;
}

/**
 * The args of a SecureService. Fields that decide which resources exist (ports, replicas,
 * paths, overrides, …) are plain values, validated before anything is registered; the image
 * and environment values may be Outputs.
 */
export interface SecureServiceArgs {
  /**
   * Run on a Docker engine (give exactly one of `docker` and `kubernetes`). The engine is the
   * Docker provider's: the ambient one, or `opts.provider`.
   * @default none
   */
  docker?: DockerTargetArgs;
  /**
   * Run in a Kubernetes namespace (give exactly one of `docker` and `kubernetes`). The cluster is
   * the Kubernetes provider's: the ambient one, or `opts.provider`.
   * @default none
   */
  kubernetes?: KubernetesTargetArgs;
  /** Image by digest (`repo@sha256:…`), or by tag (a warning; an override on Kubernetes). */
  image: pulumi.Input<string>;
  /** Replaces the image's entrypoint. @default the image's */
  command?: string[];
  /** Arguments. @default the image's */
  args?: string[];
  /** @default [] */
  ports?: ServicePortArgs[];
  /** Non-secret environment variables (secrets are given as files, never here). @default {} (the image's own) */
  env?: Record<string, pulumi.Input<string>>;
  /** How the platform tells the service is healthy. Required. */
  healthCheck: HealthCheckArgs;
  /** @default { cpu: "500m", memory: "256Mi", pids: 256 } */
  resources?: ResourceArgs;
  /** @default 1 */
  replicas?: number;
  /** Numeric `uid` or `uid:gid`, never 0. @default "10001:10001" */
  user?: string;
  /** Absolute paths that are writable (tmpfs / emptyDir); everything else is read-only. @default [] */
  writablePaths?: string[];
  /** Size of each writable path. @default "64Mi" */
  writablePathSize?: string;
  /** Volumes: existing named volumes / claims, or EncryptedVolumes by their `volumeRef`. @default [] */
  volumes?: VolumeArgs[];
  /**
   * Secrets as files under `/run/secrets/`, owned by the service's user, mode 0400, on a
   * read-only mount (never environment variables). A changed value replaces exactly the
   * services that mount it. @default [] (no secret files)
   */
  secretFiles?: SecretFileArgs[];
  /** Capabilities to add from the allow-list (NET_BIND_SERVICE). All others stay dropped. @default [] */
  capabilities?: Capability[];
  /** Seccomp/AppArmor profile selection. @default { appType: AppType.Web, template: ProfileTemplate.Default } */
  runtimeProfile?: RuntimeProfileSelection;
  /** Labels on every resource. @default {} */
  labels?: Record<string, string>;
  /**
   * Join a SegmentedNetworks: the service's networks come from its topology (instead of a network
   * of its own or `docker.networks`), and its containers carry the topology service's name.
   * @default none (Docker: a network of its own, or docker.networks)
   */
  segment?: SegmentMembershipArgs;
  /** Kubernetes: who may connect in. @default nobody (default deny) */
  ingressFrom?: ConnectionArgs[];
  /** Kubernetes: where the pods may connect to (DNS is added when any). @default nowhere (default deny) */
  egressTo?: ConnectionArgs[];
  /** Kubernetes: create a PodDisruptionBudget with this minAvailable. @default none */
  podDisruptionBudgetMinAvailable?: number;
  /** Docker: restart on failure at most this many times (1–5). @default 5 */
  restartMaxRetries?: number;
  /** Named weakenings, each with a reason. @default none */
  overrides?: SecureServiceOverrides;
}
