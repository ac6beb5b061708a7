import type Dockerode from "dockerode";
import { applySecurityOpts, applyUser } from "../adapters/docker/security-opts";
import { suppressionsFromKeys } from "../adapters/suppressions";
import type {
  Container,
  EnvVar,
  PortBinding,
  Probe,
  ResourceLimits,
  SecurityContext,
  VolumeMount,
  Workload,
  WorkloadVolume,
} from "../model";
import { imageRefOrUnparsed } from "../model";
import { engineOrigin } from "./origin";

/** What the engine applies to every container unless the container says otherwise. */
export interface EngineDefaults {
  /** The engine has seccomp support and a default profile (`info.SecurityOptions`). */
  seccomp: boolean;
  /** The daemon's `no-new-privileges` default. */
  noNewPrivileges: boolean;
  /** The daemon remaps user namespaces. */
  usernsRemap: boolean;
}

type Inspect = Dockerode.ContainerInspectInfo;

const MI = 1024 * 1024;

/** Bytes as a Kubernetes-style quantity (`256Mi`) when exact, else plain bytes. */
function bytesQuantity(bytes: number): string {
  if (bytes % (1024 * MI) === 0) return `${bytes / (1024 * MI)}Gi`;
  if (bytes % MI === 0) return `${bytes / MI}Mi`;
  if (bytes % 1024 === 0) return `${bytes / 1024}Ki`;
  return String(bytes);
}

function positive(n: number | null | undefined): number | undefined {
  return typeof n === "number" && n > 0 ? n : undefined;
}

function resources(host: Inspect["HostConfig"]): ResourceLimits {
  const out: ResourceLimits = {};
  const memory = positive(host.Memory);
  if (memory !== undefined) out.memoryLimit = bytesQuantity(memory);
  const reservation = positive(host.MemoryReservation);
  if (reservation !== undefined) out.memoryRequest = bytesQuantity(reservation);
  const nano = positive(host.NanoCpus);
  const quota = positive(host.CpuQuota);
  const period = positive(host.CpuPeriod) ?? 100_000;
  if (nano !== undefined) out.cpuLimit = String(nano / 1e9);
  else if (quota !== undefined) out.cpuLimit = String(quota / period);
  const shares = positive(host.CpuShares);
  if (shares !== undefined) out.cpuShares = shares;
  const pids = positive(host.PidsLimit);
  if (pids !== undefined) out.pidsLimit = pids;
  return out;
}

function ports(info: Inspect): PortBinding[] {
  // NetworkSettings.Ports is what the engine actually bound (including -P); fall back to the request.
  const bound = info.NetworkSettings?.Ports ?? {};
  const requested = (info.HostConfig.PortBindings ?? {}) as Record<
    string,
    { HostIp?: string; HostPort?: string }[] | null
  >;
  const keys = new Set([
    ...Object.keys(info.Config.ExposedPorts ?? {}),
    ...Object.keys(bound),
    ...Object.keys(requested),
  ]);
  const out: PortBinding[] = [];
  for (const key of keys) {
    const [port = "", protocol = "tcp"] = key.split("/");
    const containerPort = Number(port);
    if (!Number.isInteger(containerPort)) continue;
    const bindings = bound[key] ?? requested[key] ?? [];
    if (!bindings || bindings.length === 0) {
      out.push({ containerPort, protocol });
      continue;
    }
    for (const b of bindings) {
      const binding: PortBinding = { containerPort, protocol };
      const hostPort = Number(b.HostPort ?? "");
      if (hostPort > 0) binding.hostPort = hostPort;
      // 0.0.0.0 and :: mean every interface, which the model spells as "no hostIP".
      if (b.HostIp && b.HostIp !== "0.0.0.0" && b.HostIp !== "::") binding.hostIP = b.HostIp;
      out.push(binding);
    }
  }
  return out;
}

function env(list: string[] | null | undefined): EnvVar[] {
  return (list ?? []).map((entry) => {
    const eq = entry.indexOf("=");
    return eq < 0 ? { name: entry } : { name: entry.slice(0, eq), value: entry.slice(eq + 1) };
  });
}

function probes(info: Inspect): Probe[] {
  const test = info.Config.Healthcheck?.Test;
  if (!test || test.length === 0) return [];
  return [test[0] === "NONE" ? { kind: "healthcheck", disabled: true } : { kind: "healthcheck" }];
}

function mountsAndVolumes(info: Inspect): { mounts: VolumeMount[]; volumes: WorkloadVolume[] } {
  const mounts: VolumeMount[] = [];
  const volumes: WorkloadVolume[] = [];
  (info.Mounts ?? []).forEach((m, i) => {
    const name = `mount-${i}`;
    if (m.Type === "bind") volumes.push({ name, type: "hostPath", hostPath: m.Source });
    else if (m.Type === "tmpfs") volumes.push({ name, type: "emptyDir", medium: "Memory" });
    else if (m.Type === "volume")
      volumes.push({ name, type: "persistentVolumeClaim", source: m.Name ?? m.Source });
    else volumes.push({ name, type: m.Type, source: m.Source });
    const mount: VolumeMount = { volume: name, mountPath: m.Destination, readOnly: !m.RW };
    if (m.Propagation) mount.propagation = m.Propagation;
    mounts.push(mount);
  });
  // `--tmpfs` mounts are listed in HostConfig.Tmpfs only.
  const tmpfs = (info.HostConfig as { Tmpfs?: Record<string, string> | null }).Tmpfs ?? {};
  for (const [path, options] of Object.entries(tmpfs)) {
    const name = `tmpfs-${volumes.length}`;
    volumes.push({ name, type: "emptyDir", medium: "Memory", options: options ? options.split(",") : [] });
    mounts.push({ volume: name, mountPath: path, readOnly: false });
  }
  return { mounts, volumes };
}

function securityContext(info: Inspect, defaults: EngineDefaults): SecurityContext {
  const host = info.HostConfig;
  const sc: SecurityContext = {
    privileged: host.Privileged === true,
    readOnlyRootFilesystem: host.ReadonlyRootfs === true,
    capabilities: { add: [...(host.CapAdd ?? [])], drop: [...(host.CapDrop ?? [])] },
  };
  // Effective defaults first, then what the container asked for.
  if (defaults.noNewPrivileges) sc.allowPrivilegeEscalation = false;
  if (defaults.seccomp && !sc.privileged) sc.seccompProfile = { type: "RuntimeDefault" };
  if (info.AppArmorProfile === "unconfined") sc.appArmorProfile = { type: "Unconfined" };
  else if (info.AppArmorProfile === "docker-default") sc.appArmorProfile = { type: "RuntimeDefault" };
  else if (info.AppArmorProfile)
    sc.appArmorProfile = { type: "Localhost", localhostProfile: info.AppArmorProfile };
  applySecurityOpts(host.SecurityOpt ?? [], sc);
  // An empty Config.User is the image's default, which is root.
  if (info.Config.User?.trim()) applyUser(info.Config.User, sc);
  else sc.runAsUser = 0;
  if (sc.runAsUserName === "root") sc.runAsUser = 0;
  return sc;
}

/**
 * Maps one container's inspect data into the model: a single-container workload named after the
 * container, at `docker://<engine>/containers/<name>`.
 */
export function containerToWorkload(info: Inspect, engine: string, defaults: EngineDefaults): Workload {
  const name = info.Name.replace(/^\//, "");
  const host = info.HostConfig;
  const labels = { ...(info.Config.Labels ?? {}) };
  const { mounts, volumes } = mountsAndVolumes(info);
  const container: Container = {
    name,
    role: "container",
    image: imageRefOrUnparsed(info.Config.Image),
    env: env(info.Config.Env),
    envFromSecrets: [],
    ports: ports(info),
    securityContext: securityContext(info, defaults),
    resources: resources(host),
    probes: probes(info),
    mounts,
    devices: ((host.Devices ?? []) as Dockerode.DeviceMapping[]).map((d) => ({
      hostPath: d.PathOnHost,
      containerPath: d.PathInContainer,
      permissions: d.CgroupPermissions,
    })),
  };
  const entrypoint = info.Config.Entrypoint;
  if (entrypoint) container.command = Array.isArray(entrypoint) ? entrypoint : [entrypoint];
  if (info.Config.Cmd) container.args = info.Config.Cmd;
  if (host.Ulimits && host.Ulimits.length > 0) {
    container.ulimits = Object.fromEntries(
      host.Ulimits.map((u) => [u.Name ?? "", { soft: u.Soft, hard: u.Hard }] as const),
    );
  }
  const networkMode = host.NetworkMode ?? "default";
  const usernsMode = (host as { UsernsMode?: string }).UsernsMode ?? "";
  const workload: Workload = {
    kind: "workload",
    sourceKind: "docker-container",
    name,
    labels,
    annotations: {},
    origin: engineOrigin(engine, `containers/${name}`),
    suppressions: suppressionsFromKeys(labels, "label", "labels"),
    hostNetwork: networkMode === "host",
    hostPID: host.PidMode === "host",
    hostIPC: host.IpcMode === "host",
    hostUTS: host.UTSMode === "host",
    // Without remapping every container shares the host's user namespace.
    hostUsers: !defaults.usernsRemap || usernsMode === "host",
    os: "linux",
    securityContext: {},
    containers: [container],
    volumes,
    networks: Object.keys(info.NetworkSettings?.Networks ?? {}),
    networkMode,
    podLabels: labels,
    podAnnotations: {},
  };
  const restart = host.RestartPolicy;
  if (restart) {
    workload.restartPolicy = { name: restart.Name || "no" };
    if (restart.MaximumRetryCount) workload.restartPolicy.maxRetries = restart.MaximumRetryCount;
  }
  if (host.LogConfig?.Type) {
    workload.logging = { driver: host.LogConfig.Type, options: { ...(host.LogConfig.Config ?? {}) } };
  }
  return workload;
}
