import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { PlatformKind } from "../../platform/platform";
import { pidsLimit } from "../../rules/docker/workload/pids-limit";
import { profileName, seccompProfileJson } from "../runtime-profile/seccomp";
import { SEGMENT_SERVICE_LABEL } from "../segmented-networks/topology";
import type { DockerTarget } from "../target";
import { Capability } from "./args";
import { overrideRecords, SUPPRESS_KEY_PREFIX } from "./overrides";
import type { ServiceSpec } from "./spec";
import { DEFAULT_ENGINE_SOCKET } from "./validate";
import { dockerRefMounts, type VolumeRefSpec } from "./volume-refs";

/** Label that ties every Docker object to its SecureService. */
export const SERVICE_LABEL = "shipshape.io/service";

/**
 * Everything a hardened Docker container is, independent of how it is created. The Pulumi
 * backend turns it into `docker.ContainerArgs`; `shipshape render --to compose` into a Compose
 * service. Both read only this, so they cannot drift apart.
 */
export interface DockerContainerPlan {
  containerName: string;
  image: pulumi.Input<string>;
  /** `uid:gid`, never 0. */
  user: string;
  /** Docker's entrypoint (Kubernetes `command`). */
  entrypoint?: string[];
  /** Docker's cmd (Kubernetes `args`). */
  cmd?: string[];
  env: { name: string; value: pulumi.Input<string> }[];
  readOnlyRootFilesystem: boolean;
  /** Mount path → tmpfs options. */
  tmpfs: Record<string, string>;
  capAdd: string[];
  capDrop: string[];
  privileged: false;
  /** `no-new-privileges:true`, the seccomp profile, AppArmor when the platform names one. */
  securityOpt: string[];
  seccompProfileName: string;
  seccompProfileJson: string;
  memoryBytes: number;
  cpus: string;
  pidsLimit: number;
  ulimits: { name: string; soft: number; hard: number }[];
  healthcheck: {
    test: string[];
    intervalSeconds: number;
    timeoutSeconds: number;
    retries: number;
    startPeriodSeconds: number;
  };
  restart: { policy: "on-failure"; maxRetries: number };
  logging: { driver: "json-file"; options: Record<string, string> };
  ports: { hostIP: string; hostPort: number; containerPort: number; protocol: "tcp" | "udp" }[];
  labels: Record<string, string>;
  volumes: { source: string; target: string; readOnly: boolean }[];
  /** Host paths bound into the container, read-only: only the engine's socket (overrides.engineSocket). */
  binds: { source: string; target: string; readOnly: true }[];
  /** Supplementary groups (the group that may use the engine's socket). */
  groupAdd: string[];
  /** EncryptedVolumes by reference, resolved when their references do (see volume-refs.ts). */
  volumeRefs: VolumeRefSpec[];
  /** Networks to join; `networkToCreate` is one of them when the platform names none. */
  networks: string[];
  networkToCreate?: string;
  /** A SegmentedNetworks' networks for this service, joined instead of `networks` (resolved later). */
  segmentNetworks?: pulumi.Output<string[]>;
  ipcMode: "private";
  /**
   * Namespaced sysctls. Docker (20.10+) sets `net.ipv4.ip_unprivileged_port_start=0` in every
   * container, letting any user bind ports below 1024; shipshape restores 1024 unless the service
   * was granted NET_BIND_SERVICE, so the capability means what it says.
   */
  sysctls: Record<string, string>;
}

/** The Docker target of a spec, which must be one for Docker. */
export function dockerTarget(spec: ServiceSpec): DockerTarget {
  if (spec.target.kind !== PlatformKind.Docker)
    throw new Error(`SecureService ${spec.name} does not target Docker`);
  return spec.target;
}

/** The service's own network, when the target names none to join. */
export function ownNetworkName(spec: ServiceSpec): string | undefined {
  return dockerTarget(spec).networks.length === 0 && !spec.segment ? `${spec.name}-net` : undefined;
}

/** Builds the hardened Docker plan of one replica. */
export function dockerContainerPlan(spec: ServiceSpec, replica = 0): DockerContainerPlan {
  const platform = dockerTarget(spec);
  const seccompJson = seccompProfileJson(spec.appType, spec.template);
  const securityOpt = ["no-new-privileges:true", `seccomp=${seccompJson}`];
  if (platform.appArmorProfile) securityOpt.push(`apparmor=${platform.appArmorProfile}`);
  const ownNetwork = ownNetworkName(spec);
  const plan: DockerContainerPlan = {
    containerName: spec.replicas > 1 ? `${spec.name}-${replica}` : spec.name,
    image: spec.image,
    user: `${spec.uid}:${spec.gid}`,
    env: spec.env,
    readOnlyRootFilesystem: spec.readOnlyRootFilesystem,
    tmpfs: Object.fromEntries(
      spec.writablePaths.map((p) => [
        p,
        `rw,noexec,nosuid,nodev,size=${spec.writablePathBytes},uid=${spec.uid},gid=${spec.gid},mode=0700`,
      ]),
    ),
    capAdd: [...spec.capabilities],
    capDrop: ["ALL"],
    privileged: false,
    securityOpt,
    seccompProfileName: profileName(spec.appType, spec.template),
    seccompProfileJson: seccompJson,
    memoryBytes: spec.resources.memoryBytes,
    cpus: String(spec.resources.cpuCores),
    pidsLimit: spec.resources.pids,
    ulimits: [
      { name: "nofile", soft: spec.ulimits.nofile, hard: spec.ulimits.nofile },
      { name: "nproc", soft: spec.ulimits.nproc, hard: spec.ulimits.nproc },
    ],
    healthcheck: {
      test: ["CMD", ...(spec.healthCheck.command ?? [])],
      intervalSeconds: spec.healthCheck.intervalSeconds,
      timeoutSeconds: spec.healthCheck.timeoutSeconds,
      retries: spec.healthCheck.retries,
      startPeriodSeconds: spec.healthCheck.startPeriodSeconds,
    },
    restart: { policy: "on-failure", maxRetries: spec.restartMaxRetries },
    logging: {
      driver: "json-file",
      options: { "max-size": spec.logMaxSize, "max-file": String(spec.logMaxFiles) },
    },
    ports: spec.ports.map((p) => ({
      hostIP: spec.bindAddress,
      hostPort: p.hostPort,
      containerPort: p.containerPort,
      protocol: p.protocol === "UDP" ? "udp" : "tcp",
    })),
    labels: {
      ...spec.labels,
      [SERVICE_LABEL]: spec.name,
      ...(spec.segment ? { [SEGMENT_SERVICE_LABEL]: spec.segment.service } : {}),
      ...overrideRecords(spec.overrides, spec.overrideContext, true),
    },
    volumes: spec.volumes.map((v) => ({ source: v.name, target: v.mountPath, readOnly: v.readOnly })),
    binds: spec.engineSocket
      ? [{ source: spec.engineSocket.socketPath, target: DEFAULT_ENGINE_SOCKET, readOnly: true }]
      : [],
    groupAdd: spec.engineSocket ? [String(spec.engineSocket.groupId)] : [],
    volumeRefs: spec.volumeRefs,
    networks: ownNetwork ? [ownNetwork] : [...platform.networks],
    ipcMode: "private",
    sysctls: spec.capabilities.includes(Capability.NetBindService)
      ? {}
      : { "net.ipv4.ip_unprivileged_port_start": "1024" },
  };
  if (ownNetwork) plan.networkToCreate = ownNetwork;
  if (spec.segment) plan.segmentNetworks = spec.segment.networks;
  if (spec.command) plan.entrypoint = spec.command;
  if (spec.args) plan.cmd = spec.args;
  return plan;
}

const seconds = (n: number) => `${n}s`;

/**
 * The provider cannot express the PIDs cgroup limit; the container says so, with what stands in
 * for it, rather than leaving an unexplained finding for audits and the policy pack.
 */
function providerGapSuppressions(plan: DockerContainerPlan): Record<string, string> {
  return {
    [`${SUPPRESS_KEY_PREFIX}${pidsLimit.id}`]: `@pulumi/docker 5.x has no PIDs-limit field; the nproc ulimit (${plan.pidsLimit}) caps the processes of the service's own uid instead`,
  };
}

/**
 * The `@pulumi/docker` (v5) container args of a plan. The provider has no PIDs cgroup limit
 * field, so the process cap is enforced with the `nproc` ulimit of the container's own uid.
 */
export function dockerContainerArgs(plan: DockerContainerPlan): docker.ContainerArgs {
  const args: docker.ContainerArgs = {
    name: plan.containerName,
    image: plan.image,
    user: plan.user,
    envs: plan.env.map((e) =>
      typeof e.value === "string" ? `${e.name}=${e.value}` : pulumi.interpolate`${e.name}=${e.value}`,
    ),
    readOnly: plan.readOnlyRootFilesystem,
    tmpfs: plan.tmpfs,
    capabilities: { drops: plan.capDrop, adds: plan.capAdd },
    privileged: false,
    securityOpts: plan.securityOpt,
    memory: Math.ceil(plan.memoryBytes / 1024 ** 2),
    memorySwap: Math.ceil(plan.memoryBytes / 1024 ** 2),
    cpus: plan.cpus,
    ulimits: plan.ulimits.map((u) => ({ name: u.name, soft: u.soft, hard: u.hard })),
    healthcheck: {
      tests: plan.healthcheck.test,
      interval: seconds(plan.healthcheck.intervalSeconds),
      timeout: seconds(plan.healthcheck.timeoutSeconds),
      retries: plan.healthcheck.retries,
      startPeriod: seconds(plan.healthcheck.startPeriodSeconds),
    },
    restart: plan.restart.policy,
    maxRetryCount: plan.restart.maxRetries,
    logDriver: plan.logging.driver,
    logOpts: plan.logging.options,
    ports: plan.ports.map((p) => ({
      ip: p.hostIP,
      external: p.hostPort,
      internal: p.containerPort,
      protocol: p.protocol,
    })),
    labels: Object.entries({ ...plan.labels, ...providerGapSuppressions(plan) }).map(([label, value]) => ({
      label,
      value,
    })),
    mounts: [
      ...plan.volumes.map((v) => ({
        type: "volume",
        source: v.source,
        target: v.target,
        readOnly: v.readOnly,
      })),
      ...plan.binds.map((b) => ({ type: "bind", source: b.source, target: b.target, readOnly: b.readOnly })),
    ],
    networksAdvanced: plan.segmentNetworks
      ? plan.segmentNetworks.apply((names) => {
          // Peers reach the service by its topology name (what its mTLS certificate names).
          const alias = plan.labels[SEGMENT_SERVICE_LABEL];
          return names.map((name) => (alias ? { name, aliases: [alias] } : { name }));
        })
      : plan.networks.map((name) => ({ name })),
    ipcMode: plan.ipcMode,
    sysctls: plan.sysctls,
  };
  if (plan.entrypoint) args.entrypoints = plan.entrypoint;
  if (plan.cmd) args.command = plan.cmd;
  if (plan.groupAdd.length > 0) args.groupAdds = plan.groupAdd;
  if (plan.volumeRefs.length > 0) withVolumeRefs(args, plan);
  return args;
}

/** Label recording the host mount's generation of `volumes[i]` (`none` for a tmpfs). */
export const VOLUME_GENERATION_LABEL_PREFIX = "shipshape.io/volume-generation.";

/**
 * Adds the EncryptedVolumes' mounts and tmpfs, known once their references resolve (at preview
 * too: a reference is made of plain facts), and one label per reference with its host mount's
 * generation: a remount (after a reboot) changes it, so `up` replaces the container, which then
 * binds the mounted view again.
 */
function withVolumeRefs(args: docker.ContainerArgs, plan: DockerContainerPlan): void {
  const [uid, gid] = plan.user.split(":").map(Number) as [number, number];
  const refs = dockerRefMounts(
    { name: plan.labels[SERVICE_LABEL] ?? plan.containerName, uid, gid, platform: PlatformKind.Docker },
    plan.volumeRefs,
  );
  const mounts = args.mounts as docker.types.input.ContainerMount[];
  const tmpfs = plan.tmpfs;
  const labels = args.labels as { label: string; value: string }[];
  args.mounts = refs.apply((r) => [...mounts, ...r.mounts]);
  args.tmpfs = refs.apply((r) => ({ ...tmpfs, ...r.tmpfs }));
  args.labels = [
    ...labels,
    ...plan.volumeRefs.map((v) => ({
      label: `${VOLUME_GENERATION_LABEL_PREFIX}${v.index}`,
      value: refs.apply((r) => r.generations[String(v.index)] ?? "none"),
    })),
  ];
}
