import type {
  AppArmorProfile,
  Container,
  ContainerRole,
  NetworkHook,
  PodSecurityContext,
  Probe,
  SELinuxOptions,
  SeccompProfile,
  SecurityContext,
  WorkloadVolume,
} from "../../model";
import { imageRefOrUnparsed } from "../../model";
import { arr, bool, num, type Obj, obj, str, strList } from "./values";

/** Where each model container came from in the pod spec. */
export interface ContainerSource {
  field: "containers" | "initContainers" | "ephemeralContainers";
  index: number;
}

const ROLE_FIELDS: [ContainerSource["field"], ContainerRole][] = [
  ["initContainers", "init"],
  ["containers", "container"],
  ["ephemeralContainers", "ephemeral"],
];

function seccomp(v: unknown): SeccompProfile | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const p: SeccompProfile = { type: str(o.type) ?? "" };
  const lp = str(o.localhostProfile);
  if (lp !== undefined) p.localhostProfile = lp;
  return p;
}

function apparmor(v: unknown): AppArmorProfile | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const p: AppArmorProfile = { type: str(o.type) ?? "" };
  const lp = str(o.localhostProfile);
  if (lp !== undefined) p.localhostProfile = lp;
  return p;
}

function selinux(v: unknown): SELinuxOptions | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const out: SELinuxOptions = {};
  for (const k of ["user", "role", "type", "level"] as const) {
    const s = str(o[k]);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

function setIf<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

export function podSecurityContext(v: unknown): PodSecurityContext {
  const o = obj(v) ?? {};
  const out: PodSecurityContext = {};
  setIf(out, "runAsUser", num(o.runAsUser));
  setIf(out, "runAsGroup", num(o.runAsGroup));
  setIf(out, "runAsNonRoot", bool(o.runAsNonRoot));
  setIf(out, "fsGroup", num(o.fsGroup));
  if (Array.isArray(o.supplementalGroups)) {
    out.supplementalGroups = o.supplementalGroups.map(num).filter((n): n is number => n !== undefined);
  }
  setIf(out, "seccompProfile", seccomp(o.seccompProfile));
  setIf(out, "appArmorProfile", apparmor(o.appArmorProfile));
  setIf(out, "seLinuxOptions", selinux(o.seLinuxOptions));
  if (Array.isArray(o.sysctls)) {
    out.sysctls = o.sysctls.map((s) => ({ name: str(obj(s)?.name) ?? "", value: str(obj(s)?.value) ?? "" }));
  }
  setIf(out, "windowsHostProcess", bool(obj(o.windowsOptions)?.hostProcess));
  return out;
}

export function containerSecurityContext(v: unknown): SecurityContext {
  const o = obj(v) ?? {};
  const out: SecurityContext = {};
  setIf(out, "privileged", bool(o.privileged));
  setIf(out, "allowPrivilegeEscalation", bool(o.allowPrivilegeEscalation));
  setIf(out, "runAsUser", num(o.runAsUser));
  setIf(out, "runAsGroup", num(o.runAsGroup));
  setIf(out, "runAsNonRoot", bool(o.runAsNonRoot));
  setIf(out, "readOnlyRootFilesystem", bool(o.readOnlyRootFilesystem));
  const caps = obj(o.capabilities);
  if (caps) out.capabilities = { add: strList(caps.add), drop: strList(caps.drop) };
  setIf(out, "seccompProfile", seccomp(o.seccompProfile));
  setIf(out, "appArmorProfile", apparmor(o.appArmorProfile));
  setIf(out, "seLinuxOptions", selinux(o.seLinuxOptions));
  setIf(out, "procMount", str(o.procMount));
  setIf(out, "windowsHostProcess", bool(obj(o.windowsOptions)?.hostProcess));
  return out;
}

function container(c: Obj, role: ContainerRole): Container {
  const resources = obj(c.resources) ?? {};
  const limits = obj(resources.limits) ?? {};
  const requests = obj(resources.requests) ?? {};
  const probes: Probe[] = [];
  if (c.livenessProbe) probes.push({ kind: "liveness" });
  if (c.readinessProbe) probes.push({ kind: "readiness" });
  if (c.startupProbe) probes.push({ kind: "startup" });
  const hooks = networkHooks(c);
  const image = str(c.image);
  const out: Container = {
    name: str(c.name) ?? "",
    role,
    env: arr(c.env).map((e) => {
      const o = obj(e) ?? {};
      const from = obj(o.valueFrom);
      const secret = obj(from?.secretKeyRef);
      const env: Container["env"][number] = { name: str(o.name) ?? "" };
      setIf(env, "value", str(o.value));
      if (secret) {
        const ref: { name: string; key?: string } = { name: str(secret.name) ?? "" };
        setIf(ref, "key", str(secret.key));
        env.secretRef = ref;
      } else if (from) env.otherRef = Object.keys(from)[0] ?? "valueFrom";
      return env;
    }),
    envFromSecrets: arr(c.envFrom)
      .map((e) => str(obj(obj(e)?.secretRef)?.name))
      .filter((n): n is string => n !== undefined),
    ports: arr(c.ports).map((p) => {
      const o = obj(p) ?? {};
      const port: Container["ports"][number] = { containerPort: num(o.containerPort) ?? 0 };
      setIf(port, "protocol", str(o.protocol));
      setIf(port, "hostPort", num(o.hostPort));
      setIf(port, "hostIP", str(o.hostIP));
      return port;
    }),
    securityContext: containerSecurityContext(c.securityContext),
    resources: {},
    probes,
    ...(hooks.length > 0 ? { hooks } : {}),
    mounts: arr(c.volumeMounts).map((m) => {
      const o = obj(m) ?? {};
      const mount: Container["mounts"][number] = {
        volume: str(o.name) ?? "",
        mountPath: str(o.mountPath) ?? "",
      };
      setIf(mount, "readOnly", bool(o.readOnly));
      setIf(mount, "propagation", str(o.mountPropagation));
      return mount;
    }),
    devices: [],
  };
  if (image !== undefined) out.image = imageRefOrUnparsed(image);
  setIf(out, "imagePullPolicy", str(c.imagePullPolicy));
  if (Array.isArray(c.command)) out.command = strList(c.command);
  if (Array.isArray(c.args)) out.args = strList(c.args);
  setIf(out.resources, "cpuLimit", str(limits.cpu));
  setIf(out.resources, "memoryLimit", str(limits.memory));
  setIf(out.resources, "cpuRequest", str(requests.cpu));
  setIf(out.resources, "memoryRequest", str(requests.memory));
  return out;
}

const HOOK_SOURCES: [NetworkHook["handler"], string[]][] = [
  ["liveness", ["livenessProbe"]],
  ["readiness", ["readinessProbe"]],
  ["startup", ["startupProbe"]],
  ["postStart", ["lifecycle", "postStart"]],
  ["preStop", ["lifecycle", "preStop"]],
];

/** Where each hook handler lives in a Kubernetes container. */
export function hookSourcePath(handler: NetworkHook["handler"]): string[] {
  return HOOK_SOURCES.find(([h]) => h === handler)?.[1] ?? [];
}

function networkHooks(c: Obj): NetworkHook[] {
  const out: NetworkHook[] = [];
  for (const [handler, path] of HOOK_SOURCES) {
    let node: unknown = c;
    for (const k of path) node = obj(node)?.[k];
    for (const action of ["httpGet", "tcpSocket"] as const) {
      const call = obj(obj(node)?.[action]);
      if (!call) continue;
      const hook: NetworkHook = { handler, action };
      setIf(hook, "host", str(call.host));
      out.push(hook);
    }
  }
  return out;
}

export function podContainers(spec: Obj): { containers: Container[]; sources: ContainerSource[] } {
  const containers: Container[] = [];
  const sources: ContainerSource[] = [];
  for (const [field, role] of ROLE_FIELDS) {
    arr(spec[field]).forEach((c, index) => {
      containers.push(container(obj(c) ?? {}, role));
      sources.push({ field, index });
    });
  }
  return { containers, sources };
}

/** The volume-source fields of a Kubernetes volume, by name. */
export function podVolumes(spec: Obj): WorkloadVolume[] {
  return arr(spec.volumes).map((v) => {
    const o = obj(v) ?? {};
    // A volume with no source is defaulted to emptyDir by the API server, before admission.
    const type = Object.keys(o).find((k) => k !== "name") ?? "emptyDir";
    const src = obj(o[type]) ?? {};
    const vol: WorkloadVolume = { name: str(o.name) ?? "", type };
    if (type === "hostPath") setIf(vol, "hostPath", str(src.path));
    if (type === "emptyDir") setIf(vol, "medium", str(src.medium));
    setIf(vol, "source", str(src.secretName) ?? str(src.claimName) ?? str(src.name));
    return vol;
  });
}
