import type { Container, Origin, Workload, WorkloadVolume } from "../../model";
import { imageRefOrUnparsed } from "../../model";
import { applySecurityOpts, applyUser } from "../docker/security-opts";
import { arr, bool, num, type Obj, obj, str, strList } from "../kubernetes/values";
import { suppressionsFromKeys } from "../suppressions";
import { unknownAlong } from "./unknown";

type PropsPath = (string | number)[];

export const DOCKER_CONTAINER_TYPE = "docker:index/container:Container";

/** Docker's `--memory` in the provider is megabytes; the model speaks Kubernetes quantities. */
function memoryQuantity(mb: number | undefined): string | undefined {
  return mb === undefined || mb <= 0 ? undefined : `${mb}Mi`;
}

const HOST_MODES: [keyof Workload, string][] = [
  ["hostNetwork", "networkMode"],
  ["hostPID", "pidMode"],
  ["hostIPC", "ipcMode"],
];

/**
 * Maps the inputs of a `docker.Container` (as the engine hands them to a policy) to a
 * one-container workload. Model paths map back to props paths for unknown checks and fixes.
 */
export function dockerContainerToWorkload(props: Obj, name: string, origin: Origin): Workload {
  const labels: Record<string, string> = {};
  for (const l of arr(props.labels)) {
    const o = obj(l);
    const k = str(o?.label);
    if (k !== undefined) labels[k] = str(o?.value) ?? "";
  }
  const c: Container = {
    name,
    role: "container",
    env: strList(props.envs).map((e) => {
      const eq = e.indexOf("=");
      return eq < 0 ? { name: e } : { name: e.slice(0, eq), value: e.slice(eq + 1) };
    }),
    envFromSecrets: [],
    ports: arr(props.ports).map((p) => {
      const o = obj(p) ?? {};
      const port: Container["ports"][number] = { containerPort: num(o.internal) ?? 0 };
      const ext = num(o.external);
      // The provider publishes every declared port; without `external` Docker picks one.
      port.hostPort = ext ?? 0;
      const ip = str(o.ip);
      if (ip !== undefined) port.hostIP = ip;
      const proto = str(o.protocol);
      if (proto !== undefined) port.protocol = proto;
      return port;
    }),
    securityContext: {},
    resources: {},
    probes: [],
    mounts: [],
    devices: arr(props.devices).map((d) => {
      const o = obj(d) ?? {};
      const dev: Container["devices"][number] = { hostPath: str(o.hostPath) ?? "" };
      const cp = str(o.containerPath);
      if (cp !== undefined) dev.containerPath = cp;
      return dev;
    }),
  };
  const image = str(props.image);
  if (image !== undefined) c.image = imageRefOrUnparsed(image);
  const sc = c.securityContext;
  const privileged = bool(props.privileged);
  if (privileged !== undefined) sc.privileged = privileged;
  const readOnly = bool(props.readOnly);
  if (readOnly !== undefined) sc.readOnlyRootFilesystem = readOnly;
  const caps = obj(props.capabilities);
  if (caps) sc.capabilities = { add: strList(caps.adds), drop: strList(caps.drops) };
  applySecurityOpts(strList(props.securityOpts), sc);
  applyUser(str(props.user), sc);
  // Docker applies its default seccomp profile unless told otherwise.
  if (!sc.seccompProfile) sc.seccompProfile = { type: "RuntimeDefault" };

  const memory = memoryQuantity(num(props.memory));
  if (memory) c.resources.memoryLimit = memory;
  const cpus = str(props.cpus);
  if (cpus !== undefined) c.resources.cpuLimit = cpus;
  const shares = num(props.cpuShares);
  if (shares !== undefined) c.resources.cpuShares = shares;
  const health = obj(props.healthcheck);
  if (health) {
    const tests = strList(health.tests);
    c.probes.push(tests[0] === "NONE" ? { kind: "healthcheck", disabled: true } : { kind: "healthcheck" });
  }
  const ulimits = arr(props.ulimits);
  if (ulimits.length > 0) {
    c.ulimits = {};
    for (const u of ulimits) {
      const o = obj(u) ?? {};
      const limit: { soft?: number; hard?: number } = {};
      const soft = num(o.soft);
      const hard = num(o.hard);
      if (soft !== undefined) limit.soft = soft;
      if (hard !== undefined) limit.hard = hard;
      c.ulimits[str(o.name) ?? ""] = limit;
    }
  }

  // Volumes: bind mounts become hostPath volumes, named volumes claims, tmpfs emptyDir(Memory).
  const volumes: WorkloadVolume[] = [];
  const volumeSources: PropsPath[] = [];
  const mountSources: PropsPath[] = [];
  const addMount = (
    volume: WorkloadVolume,
    mountPath: string,
    readOnly: boolean | undefined,
    src: PropsPath,
  ) => {
    volumes.push(volume);
    volumeSources.push(src);
    const mount: Container["mounts"][number] = { volume: volume.name, mountPath };
    if (readOnly !== undefined) mount.readOnly = readOnly;
    c.mounts.push(mount);
    mountSources.push(src);
  };
  arr(props.volumes).forEach((v, i) => {
    const o = obj(v) ?? {};
    const hostPath = str(o.hostPath);
    const volumeName = str(o.volumeName);
    const target = str(o.containerPath) ?? "";
    const vol: WorkloadVolume = hostPath
      ? { name: `volume-${i}`, type: "hostPath", hostPath }
      : { name: `volume-${i}`, type: "persistentVolumeClaim", source: volumeName ?? "" };
    addMount(vol, target, bool(o.readOnly), ["volumes", i]);
  });
  arr(props.mounts).forEach((m, i) => {
    const o = obj(m) ?? {};
    const type = str(o.type) ?? "volume";
    const target = str(o.target) ?? "";
    const source = str(o.source);
    const vol: WorkloadVolume =
      type === "bind"
        ? { name: `mount-${i}`, type: "hostPath", hostPath: source ?? "" }
        : type === "tmpfs"
          ? { name: `mount-${i}`, type: "emptyDir", medium: "Memory" }
          : { name: `mount-${i}`, type: "persistentVolumeClaim", source: source ?? "" };
    addMount(vol, target, bool(o.readOnly), ["mounts", i]);
    const propagation = str(obj(o.bindOptions)?.propagation);
    const mount = c.mounts[c.mounts.length - 1];
    if (propagation !== undefined && mount) mount.propagation = propagation;
  });
  for (const [path, options] of Object.entries(obj(props.tmpfs) ?? {})) {
    const opts = (str(options) ?? "").split(",").filter(Boolean);
    addMount({ name: `tmpfs-${path}`, type: "emptyDir", medium: "Memory", options: opts }, path, undefined, [
      "tmpfs",
      path,
    ]);
  }

  const w: Workload = {
    kind: "workload",
    sourceKind: "docker-container",
    name,
    labels,
    annotations: {},
    origin,
    suppressions: suppressionsFromKeys(labels, "label", "labels"),
    securityContext: {},
    containers: [c],
    volumes,
    networks: arr(props.networksAdvanced)
      .map((n) => str(obj(n)?.name))
      .filter((n): n is string => n !== undefined),
    podLabels: labels,
    podAnnotations: {},
  };
  for (const [field, prop] of HOST_MODES) {
    const mode = str(props[prop]);
    if (mode !== undefined) (w as unknown as Record<string, unknown>)[field] = mode === "host";
  }
  const networkMode = str(props.networkMode);
  if (networkMode !== undefined) w.networkMode = networkMode;
  const userns = str(props.usernsMode);
  if (userns !== undefined) w.hostUsers = userns === "host";
  const restart = str(props.restart);
  if (restart !== undefined) {
    w.restartPolicy = { name: restart };
    const retries = num(props.maxRetryCount);
    if (retries !== undefined) w.restartPolicy.maxRetries = retries;
  }
  const logDriver = str(props.logDriver);
  const logOpts = obj(props.logOpts);
  if (logDriver !== undefined || logOpts) {
    w.logging = {};
    if (logDriver !== undefined) w.logging.driver = logDriver;
    if (logOpts)
      w.logging.options = Object.fromEntries(Object.entries(logOpts).map(([k, v]) => [k, String(v)]));
  }

  const toProps = dockerPropsPath(volumeSources, mountSources);
  // Bound to a name first, so that it is allocated young (see `Origin.resolve`).
  const isUnknown = (modelPath: string) => {
    const path = toProps(modelPath);
    return path !== undefined && unknownAlong(props, path);
  };
  w.isUnknown = isUnknown;
  origin.sourcePath = toProps;
  return w;
}

const SECURITY_PROPS: Record<string, PropsPath> = {
  privileged: ["privileged"],
  readOnlyRootFilesystem: ["readOnly"],
  allowPrivilegeEscalation: ["securityOpts"],
  seccompProfile: ["securityOpts"],
  appArmorProfile: ["securityOpts"],
  seLinuxOptions: ["securityOpts"],
  procMount: ["securityOpts"],
  runAsUser: ["user"],
  runAsGroup: ["user"],
  runAsUserName: ["user"],
  runAsNonRoot: ["user"],
};

const RESOURCE_PROPS: Record<string, PropsPath> = {
  memoryLimit: ["memory"],
  memoryRequest: ["memoryReservation"],
  cpuLimit: ["cpus"],
  cpuShares: ["cpuShares"],
};

const WORKLOAD_PROPS: Record<string, PropsPath> = {
  hostNetwork: ["networkMode"],
  networkMode: ["networkMode"],
  hostPID: ["pidMode"],
  hostIPC: ["ipcMode"],
  hostUsers: ["usernsMode"],
  restartPolicy: ["restart"],
  logging: ["logDriver"],
  networks: ["networksAdvanced"],
  labels: ["labels"],
  podLabels: ["labels"],
};

/** Model path → path in the `docker.Container` props. */
function dockerPropsPath(volumeSources: PropsPath[], mountSources: PropsPath[]) {
  return (modelPath: string): PropsPath | undefined => {
    const parts = modelPath.split(".");
    const [head, a, b, c] = parts;
    if (head === "volumes" && a !== undefined) return volumeSources[Number(a)];
    if (head !== "containers") return head ? WORKLOAD_PROPS[head] : [];
    switch (b) {
      case undefined:
        return [];
      case "image":
        return ["image"];
      case "securityContext":
        if (c === "capabilities") return ["capabilities", parts[4] === "add" ? "adds" : "drops"];
        return c ? SECURITY_PROPS[c] : undefined;
      case "resources":
        return c ? RESOURCE_PROPS[c] : undefined;
      case "ports":
        return c === undefined
          ? ["ports"]
          : parts[4] === "hostIP"
            ? ["ports", Number(c), "ip"]
            : ["ports", Number(c)];
      case "env":
        return c === undefined ? ["envs"] : ["envs", Number(c)];
      case "probes":
        return ["healthcheck"];
      case "mounts":
        return c === undefined ? undefined : mountSources[Number(c)];
      case "devices":
        return c === undefined ? ["devices"] : ["devices", Number(c)];
      case "ulimits":
        return ["ulimits"];
      default:
        return undefined;
    }
  };
}
