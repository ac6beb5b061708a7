import type { Container, Origin, PodSecurityContext, Workload, WorkloadVolume } from "../../model";
import { imageRefOrUnparsed } from "../../model";
import { applySecurityOpts, applyUser } from "../docker/security-opts";
import { arr, bool, num, type Obj, obj, str, strList } from "../kubernetes/values";
import { suppressionsFromKeys } from "../suppressions";
import { type ResolvedService, toMapping } from "./extends";
import { parsePortSpec } from "./ports";

/** Where a model list entry comes from in the service, so paths and fixes can find it. */
export interface EntrySource {
  key: string;
  /** Index in the service's list; absent when the key holds a single string (`tmpfs: /run`). */
  index?: number;
  /** True for the long (mapping) syntax. */
  long: boolean;
}

export interface ServiceSources {
  ports: EntrySource[];
  /** One per model volume (and per mount: they are created in pairs). */
  volumes: EntrySource[];
  devices: EntrySource[];
}

const stringMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(toMapping(v)))
    out[k] = val === null || val === undefined ? "" : String(val);
  return out;
};

/** Docker byte sizes (`512m`, `1g`, `1024k`, bytes) as Kubernetes quantities (`512Mi`). */
export function memoryQuantity(v: unknown): string | undefined {
  if (typeof v === "number") return v > 0 ? String(v) : undefined;
  const s = str(v)?.trim();
  if (!s) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)b?$/i.exec(s);
  if (!m) return s;
  if (Number(m[1]) === 0) return undefined;
  const unit = (m[2] ?? "").toLowerCase();
  return unit === "" || unit === "b" ? (m[1] as string) : `${m[1]}${unit.toUpperCase()}i`;
}

/** Capabilities as Kubernetes spells them: upper case, no `CAP_` prefix. */
export function capabilityName(c: string): string {
  const up = c.trim().toUpperCase();
  return up.startsWith("CAP_") ? up.slice(4) : up;
}

function words(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return strList(v);
  const s = str(v);
  return s === undefined ? undefined : s.split(/\s+/).filter(Boolean);
}

/** Short volume syntax `[SOURCE:]TARGET[:MODE]`, Windows drive letters included. */
function shortVolume(spec: string): { source?: string; target: string; mode: string[] } {
  const drive = /^[A-Za-z]:[\\/]/.test(spec) ? 2 : 0;
  const parts = [
    spec.slice(0, drive) + (spec.slice(drive).split(":")[0] ?? ""),
    ...spec.slice(drive).split(":").slice(1),
  ];
  if (parts.length === 1) return { target: parts[0] ?? "", mode: [] };
  const [source, target = "", mode = ""] = parts;
  return { ...(source !== undefined ? { source } : {}), target, mode: mode.split(",").filter(Boolean) };
}

function isHostPath(source: string): boolean {
  return /^[/.~$]/.test(source) || /^[A-Za-z]:[\\/]/.test(source) || source.startsWith("\\\\");
}

const PROPAGATIONS = new Set(["shared", "rshared", "slave", "rslave", "private", "rprivate"]);

/**
 * The host directory a named volume binds, when its definition is the local driver's bind form
 * (`driver_opts: { type: none, o: bind, device: /path }`): such a volume is a bind mount of
 * that directory, not storage Docker manages.
 */
function boundDevice(definition: unknown): string | undefined {
  const d = obj(definition);
  if (!d) return undefined;
  const driver = str(d.driver);
  if (driver !== undefined && driver !== "local") return undefined;
  const opts = obj(d.driver_opts) ?? {};
  const device = str(opts.device);
  const o = (str(opts.o) ?? "").split(",").map((x) => x.trim());
  return device !== undefined && (o.includes("bind") || o.includes("rbind")) ? device : undefined;
}

/** A mount's named volume: a host path when the volume binds one, else a claim on it. */
function namedVolume(name: string, namedVolumes: Obj): Omit<WorkloadVolume, "name"> {
  const device = boundDevice(namedVolumes[name]);
  return device === undefined
    ? { type: "persistentVolumeClaim", source: name }
    : { type: "hostPath", hostPath: device, source: name };
}

/**
 * A service's field. Parsed services come in as many shapes as files order their keys, and
 * V8 looks an absent field up the slow way, through the prototype; most of the fields read
 * here are absent. (No Compose field is an Object.prototype name.)
 */
function field(s: Obj, key: string): unknown {
  return Object.hasOwn(s, key) ? s[key] : undefined;
}

/**
 * Maps one resolved Compose service to a one-container workload. `namedVolumes` is the file's
 * top-level `volumes`, which decide what a named volume mount really is.
 */
export function mapService(
  service: ResolvedService,
  origin: Origin,
  namedVolumes: Obj = {},
): { workload: Workload; sources: ServiceSources } {
  const s = service.value;
  const sources: ServiceSources = { ports: [], volumes: [], devices: [] };
  const deploy = obj(field(s, "deploy")) ?? {};
  const resources = obj(deploy.resources) ?? {};
  const limits = obj(resources.limits) ?? {};
  const reservations = obj(resources.reservations) ?? {};

  const c: Container = {
    name: service.name,
    role: "container",
    env: Object.entries(toMapping(field(s, "environment"))).map(([name, value]) =>
      value === null || value === undefined
        ? { name, otherRef: "host-environment" }
        : { name, value: String(value) },
    ),
    envFromSecrets: [],
    ports: [],
    securityContext: {},
    resources: {},
    probes: [],
    mounts: [],
    devices: [],
  };
  const image = str(field(s, "image"));
  if (image !== undefined) c.image = imageRefOrUnparsed(image);
  const pull = str(field(s, "pull_policy"));
  if (pull !== undefined) c.imagePullPolicy = pull;
  const entrypoint = words(field(s, "entrypoint"));
  if (entrypoint) c.command = entrypoint;
  const command = words(field(s, "command"));
  if (command) c.args = command;

  // Ports: published (`ports`) and merely declared (`expose`).
  arr(field(s, "ports")).forEach((p, index) => {
    const long = obj(p);
    const parsed = long
      ? parsePortSpec(
          `${str(long.host_ip) ? `${bracketIp(str(long.host_ip) as string)}:` : ""}${str(long.published) ?? ""}:${str(long.target) ?? ""}${str(long.protocol) ? `/${str(long.protocol)}` : ""}`,
        )
      : parsePortSpec(str(p) ?? "");
    for (const binding of parsed) {
      c.ports.push({ ...binding, hostPort: binding.hostPort ?? 0 });
      sources.ports.push({ key: "ports", index, long: long !== undefined });
    }
  });
  arr(field(s, "expose")).forEach((p, index) => {
    for (const binding of parsePortSpec(str(p) ?? "")) {
      const { hostPort: _h, hostIP: _i, ...declared } = binding;
      c.ports.push(declared);
      sources.ports.push({ key: "expose", index, long: false });
    }
  });

  // Security.
  const sc = c.securityContext;
  const privileged = bool(field(s, "privileged"));
  if (privileged !== undefined) sc.privileged = privileged;
  const readOnly = bool(field(s, "read_only"));
  if (readOnly !== undefined) sc.readOnlyRootFilesystem = readOnly;
  if (field(s, "cap_add") !== undefined || field(s, "cap_drop") !== undefined) {
    sc.capabilities = {
      add: strList(field(s, "cap_add")).map(capabilityName),
      drop: strList(field(s, "cap_drop")).map(capabilityName),
    };
  }
  applySecurityOpts(strList(field(s, "security_opt")), sc);
  applyUser(str(field(s, "user")), sc);
  // Docker confines every container with its default seccomp profile unless told otherwise
  // (`privileged` turns seccomp off).
  if (!sc.seccompProfile && !sc.privileged) sc.seccompProfile = { type: "RuntimeDefault" };

  // Resources.
  const memory = memoryQuantity(limits.memory ?? field(s, "mem_limit"));
  if (memory) c.resources.memoryLimit = memory;
  const memoryRequest = memoryQuantity(reservations.memory ?? field(s, "mem_reservation"));
  if (memoryRequest) c.resources.memoryRequest = memoryRequest;
  const cpus = str(limits.cpus ?? field(s, "cpus"));
  if (cpus !== undefined && Number(cpus) !== 0) c.resources.cpuLimit = cpus;
  const cpuRequest = str(reservations.cpus);
  if (cpuRequest !== undefined) c.resources.cpuRequest = cpuRequest;
  const pids = num(limits.pids ?? field(s, "pids_limit"));
  if (pids !== undefined && pids > 0) c.resources.pidsLimit = pids;
  const shares = num(field(s, "cpu_shares"));
  if (shares !== undefined) c.resources.cpuShares = shares;

  // Health check: `disable: true` and `test: NONE` / `["NONE"]` turn the image's check off.
  const health = obj(field(s, "healthcheck"));
  if (health) {
    const test = Array.isArray(health.test) ? str(health.test[0]) : str(health.test);
    const disabled = bool(health.disable) === true || test === "NONE";
    c.probes.push(disabled ? { kind: "healthcheck", disabled: true } : { kind: "healthcheck" });
  }

  // Ulimits: a number sets soft and hard alike.
  const ulimits = obj(field(s, "ulimits"));
  if (ulimits) {
    c.ulimits = {};
    for (const [name, v] of Object.entries(ulimits)) {
      const n = num(v);
      const o = obj(v) ?? {};
      const soft = n ?? num(o.soft);
      const hard = n ?? num(o.hard);
      c.ulimits[name] = { ...(soft !== undefined ? { soft } : {}), ...(hard !== undefined ? { hard } : {}) };
    }
  }

  // Devices.
  arr(field(s, "devices")).forEach((d, index) => {
    const long = obj(d);
    const dev: Container["devices"][number] = { hostPath: "" };
    if (long) {
      dev.hostPath = str(long.source) ?? "";
      const target = str(long.target);
      if (target !== undefined) dev.containerPath = target;
      const perms = str(long.permissions);
      if (perms !== undefined) dev.permissions = perms;
    } else {
      const [host = "", target, perms] = (str(d) ?? "").split(":");
      dev.hostPath = host;
      if (target !== undefined) dev.containerPath = target;
      if (perms !== undefined) dev.permissions = perms;
    }
    c.devices.push(dev);
    sources.devices.push({ key: "devices", index, long: long !== undefined });
  });

  // Volumes and mounts come in pairs: one model volume per mount.
  const volumes: WorkloadVolume[] = [];
  const addMount = (
    volume: Omit<WorkloadVolume, "name">,
    mountPath: string,
    extra: { readOnly?: boolean; propagation?: string },
    source: EntrySource,
  ) => {
    const name = `${source.key}-${volumes.length}`;
    volumes.push({ name, ...volume });
    c.mounts.push({ volume: name, mountPath, ...extra });
    sources.volumes.push(source);
  };
  arr(field(s, "volumes")).forEach((v, index) => {
    const long = obj(v);
    if (long) {
      const type = str(long.type) ?? "volume";
      const source = str(long.source);
      const target = str(long.target) ?? "";
      const extra: { readOnly?: boolean; propagation?: string } = {};
      const ro = bool(long.read_only);
      if (ro !== undefined) extra.readOnly = ro;
      const propagation = str(obj(long.bind)?.propagation);
      if (propagation !== undefined) extra.propagation = propagation;
      const vol: Omit<WorkloadVolume, "name"> =
        type === "bind" || type === "npipe"
          ? { type: "hostPath", hostPath: source ?? "" }
          : type === "tmpfs"
            ? tmpfsVolume(obj(long.tmpfs))
            : type === "image"
              ? { type: "image", ...(source !== undefined ? { source } : {}) }
              : source
                ? namedVolume(source, namedVolumes)
                : { type: "emptyDir" };
      addMount(vol, target, extra, { key: "volumes", index, long: true });
      return;
    }
    const { source, target, mode } = shortVolume(str(v) ?? "");
    const extra: { readOnly?: boolean; propagation?: string } = {};
    if (mode.includes("ro")) extra.readOnly = true;
    else if (mode.includes("rw")) extra.readOnly = false;
    const propagation = mode.find((m) => PROPAGATIONS.has(m));
    if (propagation) extra.propagation = propagation;
    const vol: Omit<WorkloadVolume, "name"> =
      source === undefined
        ? { type: "emptyDir" }
        : isHostPath(source)
          ? { type: "hostPath", hostPath: source }
          : namedVolume(source, namedVolumes);
    addMount(vol, target, extra, { key: "volumes", index, long: false });
  });
  const tmpfs = field(s, "tmpfs");
  (Array.isArray(tmpfs) ? tmpfs : tmpfs === undefined ? [] : [tmpfs]).forEach((t, index) => {
    const spec = str(t) ?? "";
    const colon = spec.indexOf(":");
    const path = colon < 0 ? spec : spec.slice(0, colon);
    const options =
      colon < 0
        ? []
        : spec
            .slice(colon + 1)
            .split(",")
            .filter(Boolean);
    const source: EntrySource = Array.isArray(tmpfs)
      ? { key: "tmpfs", index, long: false }
      : { key: "tmpfs", long: false };
    addMount({ type: "emptyDir", medium: "Memory", options }, path, {}, source);
  });
  for (const key of ["secrets", "configs"] as const) {
    arr(field(s, key)).forEach((entry, index) => {
      const long = obj(entry);
      const name = long ? (str(long.source) ?? "") : (str(entry) ?? "");
      const target = long ? str(long.target) : undefined;
      const mountPath =
        key === "secrets"
          ? target?.startsWith("/")
            ? target
            : `/run/secrets/${target ?? name}`
          : (target ?? `/${name}`);
      addMount(
        { type: key === "secrets" ? "secret" : "configMap", source: name },
        mountPath,
        { readOnly: true },
        { key, index, long: long !== undefined },
      );
    });
  }

  // The pod-level parts.
  const podSc: PodSecurityContext = {};
  const sysctls = stringMap(field(s, "sysctls"));
  if (Object.keys(sysctls).length > 0)
    podSc.sysctls = Object.entries(sysctls).map(([name, value]) => ({ name, value }));
  const groups = strList(field(s, "group_add")).filter((g) => /^\d+$/.test(g));
  if (groups.length > 0) podSc.supplementalGroups = groups.map(Number);

  const labels = stringMap(field(s, "labels"));
  const annotations = stringMap(field(s, "annotations"));
  const networkMode = str(field(s, "network_mode"));
  const networks = Array.isArray(field(s, "networks"))
    ? strList(field(s, "networks"))
    : Object.keys(obj(field(s, "networks")) ?? {});
  const w: Workload = {
    kind: "workload",
    sourceKind: "compose-service",
    name: service.name,
    labels,
    annotations,
    origin,
    suppressions: [
      ...suppressionsFromKeys(labels, "label", "labels"),
      ...suppressionsFromKeys(annotations, "annotation", "annotations"),
    ],
    securityContext: podSc,
    containers: [c],
    volumes,
    networks: networkMode !== undefined ? [] : networks.length > 0 ? networks : ["default"],
    podLabels: labels,
    podAnnotations: annotations,
  };
  if (networkMode !== undefined) {
    w.networkMode = networkMode;
    w.hostNetwork = networkMode === "host";
  }
  const pid = str(field(s, "pid"));
  if (pid !== undefined) w.hostPID = pid === "host";
  const ipc = str(field(s, "ipc"));
  if (ipc !== undefined) w.hostIPC = ipc === "host";
  const uts = str(field(s, "uts"));
  if (uts !== undefined) w.hostUTS = uts === "host";
  const userns = str(field(s, "userns_mode"));
  if (userns !== undefined) w.hostUsers = userns === "host";
  const platform = str(field(s, "platform"));
  if (platform !== undefined) w.os = platform.split("/")[0] ?? platform;
  const replicas = num(deploy.replicas ?? field(s, "scale"));
  if (replicas !== undefined) w.replicas = replicas;
  // deploy.restart_policy wins over restart: Compose v2 applies it when both are set, and
  // `docker stack deploy` reads nothing else.
  const restart = str(field(s, "restart"));
  const policy = obj(deploy.restart_policy);
  if (policy) {
    const condition = str(policy.condition) ?? "any";
    w.restartPolicy = { name: condition === "any" ? "always" : condition === "none" ? "no" : condition };
    const attempts = num(policy.max_attempts);
    if (attempts !== undefined) w.restartPolicy.maxRetries = attempts;
  } else if (restart !== undefined) {
    const [name = "", retries] = restart.split(":");
    w.restartPolicy = { name };
    if (retries !== undefined && /^\d+$/.test(retries)) w.restartPolicy.maxRetries = Number(retries);
  }
  const logging = obj(field(s, "logging"));
  if (logging) {
    w.logging = {};
    const driver = str(logging.driver);
    if (driver !== undefined) w.logging.driver = driver;
    if (obj(logging.options)) w.logging.options = stringMap(logging.options);
  }
  return { workload: w, sources };
}

function tmpfsVolume(options: Obj | undefined): Omit<WorkloadVolume, "name"> {
  const opts: string[] = [];
  const size = str(options?.size);
  if (size !== undefined) opts.push(`size=${size}`);
  const mode = str(options?.mode);
  if (mode !== undefined) opts.push(`mode=${mode}`);
  return { type: "emptyDir", medium: "Memory", options: opts };
}

function bracketIp(ip: string): string {
  return ip.includes(":") && !ip.startsWith("[") ? `[${ip}]` : ip;
}
