import type {
  AccessBinding,
  AccessRole,
  Container,
  LabelSelector,
  NetworkHook,
  Origin,
  Resource,
  Workload,
} from "../../model";
import { suppressionsFromKeys } from "../suppressions";
import { POD_SPEC_PATHS, type PodTemplatePaths, podTemplatePaths } from "./kinds";
import { type ContainerSource, hookSourcePath, podContainers, podSecurityContext, podVolumes } from "./pod";
import { arr, bool, num, type Obj, obj, str, strList, strMap } from "./values";

type SourcePath = (string | number)[];

/** The fields every object shares; `origin` is filled in by the caller. */
function meta(o: Obj, origin: Origin) {
  const m = obj(o.metadata) ?? {};
  const labels = strMap(m.labels);
  const annotations = strMap(m.annotations);
  const base = {
    name: str(m.name) ?? str(m.generateName) ?? "(unnamed)",
    labels,
    annotations,
    origin,
    suppressions: suppressionsFromKeys(annotations, "annotation", "annotations"),
  };
  const ns = str(m.namespace);
  return ns === undefined ? base : { ...base, namespace: ns };
}

const CONTAINER_KEY: Record<string, string> = { mounts: "volumeMounts", envFromSecrets: "envFrom" };
const RESOURCE_KEY: Record<string, SourcePath> = {
  cpuLimit: ["limits", "cpu"],
  memoryLimit: ["limits", "memory"],
  cpuRequest: ["requests", "cpu"],
  memoryRequest: ["requests", "memory"],
};
const PROBE_KEY: Record<string, string> = {
  liveness: "livenessProbe",
  readiness: "readinessProbe",
  startup: "startupProbe",
};

/**
 * Appends the source path of the security-context model path `parts[from…]` to `out`:
 * `securityContext.windowsHostProcess` is nested in Kubernetes. Paths are built by appending,
 * not by spreading and destructuring: every finding's location is looked up through here.
 */
function pushSecurityContextPath(out: SourcePath, parts: readonly string[], from: number): SourcePath {
  if (parts[from] === "windowsHostProcess") {
    out.push("windowsOptions", "hostProcess");
    return out;
  }
  // List indexes (`capabilities.add.1`, `sysctls.0.name`) must be numbers to reach sequence items.
  for (let i = from; i < parts.length; i++) out.push(seg(parts[i] as string));
  return out;
}

/** Appends the source path of the container model path `parts[from…]` to `out`. */
function pushContainerPath(
  out: SourcePath,
  parts: readonly string[],
  from: number,
  hooks?: NetworkHook[],
): SourcePath {
  const head = parts[from];
  const next = parts[from + 1];
  if (head === undefined) return out;
  if (head === "securityContext") {
    out.push(head);
    return pushSecurityContextPath(out, parts, from + 1);
  }
  if (head === "resources") {
    out.push("resources");
    const mapped = next ? RESOURCE_KEY[next] : undefined;
    if (mapped) out.push(...mapped);
    return out;
  }
  if (head === "hooks") {
    // hooks.<i>.host → <probe or lifecycle handler>.<action>.host
    const hook = next === undefined ? undefined : hooks?.[Number(next)];
    if (!hook) return out;
    out.push(...hookSourcePath(hook.handler), hook.action);
    for (let i = from + 2; i < parts.length; i++) out.push(parts[i] as string);
    return out;
  }
  if (head === "probes") {
    const probe = next ? PROBE_KEY[next] : undefined;
    if (probe) out.push(probe);
    return out;
  }
  out.push(CONTAINER_KEY[head] ?? head);
  for (let i = from + 1; i < parts.length; i++) out.push(seg(parts[i] as string));
  return out;
}

function seg(s: string): string | number {
  return /^\d+$/.test(s) ? Number(s) : s;
}

/**
 * Maps `<field>` / `<field>.<key>` (keys may contain dots) to `<target>` / `<target>.<key>` under
 * `metaPath`, for each `[field, target]` of `fields`.
 */
function keyedPath(
  modelPath: string,
  metaPath: SourcePath,
  fields: readonly (readonly [string, string])[],
): SourcePath | undefined {
  for (const [field, target] of fields) {
    if (!modelPath.startsWith(field)) continue;
    if (modelPath.length === field.length) return [...metaPath, target];
    if (modelPath.charCodeAt(field.length) === 46) {
      return [...metaPath, target, modelPath.slice(field.length + 1)];
    }
  }
  return undefined;
}

const METADATA_FIELDS = [
  ["labels", "labels"],
  ["annotations", "annotations"],
] as const;
const POD_METADATA_FIELDS = [
  ["podLabels", "labels"],
  ["podAnnotations", "annotations"],
] as const;

/** Maps `labels.<key>` / `annotations.<key>` (keys may contain dots) to metadata. */
function metadataPath(modelPath: string, metaPath: SourcePath): SourcePath | undefined {
  if (modelPath === "name" || modelPath === "namespace") return [...metaPath, modelPath];
  return keyedPath(modelPath, metaPath, METADATA_FIELDS);
}

function workloadPathMapper(
  root: SourcePath,
  paths: PodTemplatePaths,
  sources: ContainerSource[],
  containers: Container[],
) {
  const pod = [...root, ...paths.spec];
  const podMeta = [...root, ...paths.meta];
  const objectMeta = [...root, "metadata"];
  return (modelPath: string): SourcePath | undefined => {
    const direct = metadataPath(modelPath, objectMeta) ?? keyedPath(modelPath, podMeta, POD_METADATA_FIELDS);
    if (direct) return direct;
    const parts = modelPath.split(".");
    switch (parts[0]) {
      case "":
        return root;
      case "replicas":
        return [...root, "spec", "replicas"];
      case "os":
        return [...pod, "os", "name"];
      case "securityContext":
        return pushSecurityContextPath([...pod, "securityContext"], parts, 1);
      case "containers": {
        const i = Number(parts[1]);
        const src = sources[i];
        if (!src) return pod;
        return pushContainerPath([...pod, src.field, src.index], parts, 2, containers[i]?.hooks);
      }
      case "volumes": {
        const i = parts[1];
        if (i === undefined) return [...pod, "volumes"];
        if (parts[2] === "hostPath") return [...pod, "volumes", Number(i), "hostPath", "path"];
        const out: SourcePath = [...pod, "volumes", Number(i)];
        for (let k = 2; k < parts.length; k++) out.push(seg(parts[k] as string));
        return out;
      }
      default: {
        const out: SourcePath = [...pod];
        for (const part of parts) out.push(seg(part));
        return out;
      }
    }
  };
}

/** Non-workload objects keep their field names; most live under `spec`, RBAC at the top. */
function plainPathMapper(root: SourcePath, underSpec: boolean) {
  const objectMeta = [...root, "metadata"];
  return (modelPath: string): SourcePath | undefined => {
    const direct = metadataPath(modelPath, objectMeta);
    if (direct) return direct;
    if (modelPath === "") return root;
    const parts = modelPath.split(".").map(seg);
    return underSpec ? [...root, "spec", ...parts] : [...root, ...parts];
  };
}

function selector(v: unknown): LabelSelector {
  const o = obj(v) ?? {};
  return {
    matchLabels: strMap(o.matchLabels),
    matchExpressions: arr(o.matchExpressions).map((e) => {
      const x = obj(e) ?? {};
      const out: LabelSelector["matchExpressions"][number] = {
        key: str(x.key) ?? "",
        operator: str(x.operator) ?? "",
      };
      if (Array.isArray(x.values)) out.values = strList(x.values);
      return out;
    }),
  };
}

export interface Mapped {
  resource: Resource;
  sourcePath: (modelPath: string) => SourcePath | undefined;
}

/**
 * Maps one Kubernetes object (at `root` in its document) to a model object. A workload's pod
 * template is at `template` when given (declared kinds), else where the built-in kind has it.
 */
export function mapObject(
  kind: string,
  o: Obj,
  root: SourcePath,
  origin: Origin,
  template?: readonly string[],
): Mapped | undefined {
  const spec = obj(o.spec) ?? {};
  const paths = template ? podTemplatePaths(template) : POD_SPEC_PATHS[kind];
  if (paths) {
    let podSpec: unknown = o;
    for (const k of paths.spec) podSpec = obj(podSpec)?.[k];
    let podMeta: unknown = o;
    for (const k of paths.meta) podMeta = obj(podMeta)?.[k];
    const ps = obj(podSpec) ?? {};
    const pm = obj(podMeta) ?? {};
    const { containers, sources } = podContainers(ps);
    const w: Workload = {
      kind: "workload",
      sourceKind: kind,
      ...meta(o, origin),
      securityContext: podSecurityContext(ps.securityContext),
      containers,
      volumes: podVolumes(ps),
      networks: [],
      podLabels: strMap(pm.labels),
      podAnnotations: strMap(pm.annotations),
    };
    const setIf = <K extends keyof Workload>(k: K, v: Workload[K] | undefined) => {
      if (v !== undefined) w[k] = v;
    };
    setIf("hostNetwork", bool(ps.hostNetwork));
    setIf("hostPID", bool(ps.hostPID));
    setIf("hostIPC", bool(ps.hostIPC));
    setIf("hostUsers", bool(ps.hostUsers));
    setIf("os", str(obj(ps.os)?.name));
    setIf("serviceAccountName", str(ps.serviceAccountName) ?? str(ps.serviceAccount));
    setIf("automountServiceAccountToken", bool(ps.automountServiceAccountToken));
    setIf("replicas", num(spec.replicas));
    const restart = str(ps.restartPolicy);
    if (restart !== undefined) w.restartPolicy = { name: restart };
    return { resource: w, sourcePath: workloadPathMapper(root, paths, sources, containers) };
  }
  const m = meta(o, origin);
  switch (kind) {
    case "Service":
      return {
        resource: {
          kind: "service",
          ...m,
          type: str(spec.type) ?? "ClusterIP",
          selector: strMap(spec.selector),
          ports: arr(spec.ports).map((p) => {
            const x = obj(p) ?? {};
            const port: { port: number; targetPort?: number | string; nodePort?: number; protocol?: string } =
              {
                port: num(x.port) ?? 0,
              };
            const tp = num(x.targetPort) ?? str(x.targetPort);
            if (tp !== undefined) port.targetPort = tp;
            const np = num(x.nodePort);
            if (np !== undefined) port.nodePort = np;
            const proto = str(x.protocol);
            if (proto !== undefined) port.protocol = proto;
            return port;
          }),
          externalIPs: strList(spec.externalIPs),
        },
        sourcePath: plainPathMapper(root, true),
      };
    case "NetworkPolicy":
      return {
        resource: {
          kind: "networkPolicy",
          ...m,
          podSelector: selector(spec.podSelector),
          policyTypes: Array.isArray(spec.policyTypes)
            ? strList(spec.policyTypes)
            : spec.egress !== undefined
              ? ["Ingress", "Egress"]
              : ["Ingress"],
          ingressRules: arr(spec.ingress).length,
          egressRules: arr(spec.egress).length,
        },
        sourcePath: plainPathMapper(root, true),
      };
    case "ServiceAccount": {
      const r: Resource = { kind: "serviceAccount", ...m };
      const auto = bool(o.automountServiceAccountToken);
      if (auto !== undefined) r.automountServiceAccountToken = auto;
      return { resource: r, sourcePath: plainPathMapper(root, false) };
    }
    case "Namespace":
      return { resource: { kind: "namespace", ...m }, sourcePath: plainPathMapper(root, false) };
    case "Role":
    case "ClusterRole": {
      const r: AccessRole = {
        kind: "role",
        ...m,
        clusterWide: kind === "ClusterRole",
        rules: arr(o.rules).map((x) => {
          const rule = obj(x) ?? {};
          const out: AccessRole["rules"][number] = {
            apiGroups: strList(rule.apiGroups),
            resources: strList(rule.resources),
            verbs: strList(rule.verbs),
            nonResourceURLs: strList(rule.nonResourceURLs),
          };
          if (Array.isArray(rule.resourceNames)) out.resourceNames = strList(rule.resourceNames);
          return out;
        }),
      };
      return { resource: r, sourcePath: plainPathMapper(root, false) };
    }
    case "RoleBinding":
    case "ClusterRoleBinding": {
      const ref = obj(o.roleRef) ?? {};
      const r: AccessBinding = {
        kind: "binding",
        ...m,
        clusterWide: kind === "ClusterRoleBinding",
        roleRef: { kind: str(ref.kind) ?? "", name: str(ref.name) ?? "" },
        subjects: arr(o.subjects).map((x) => {
          const s = obj(x) ?? {};
          const subject: { kind: string; name: string; namespace?: string } = {
            kind: str(s.kind) ?? "",
            name: str(s.name) ?? "",
          };
          const ns = str(s.namespace);
          if (ns !== undefined) subject.namespace = ns;
          return subject;
        }),
      };
      return { resource: r, sourcePath: plainPathMapper(root, false) };
    }
    case "Secret": {
      const r: Resource = {
        kind: "secret",
        ...m,
        keys: [...Object.keys(obj(o.data) ?? {}), ...Object.keys(obj(o.stringData) ?? {})],
      };
      const type = str(o.type);
      if (type !== undefined) r.type = type;
      return { resource: r, sourcePath: plainPathMapper(root, false) };
    }
    case "PersistentVolumeClaim": {
      const r: Resource = { kind: "volume", ...m, sourceKind: "PersistentVolumeClaim", driverOpts: {} };
      const storageClass = str(spec.storageClassName);
      if (storageClass !== undefined) r.storageClassName = storageClass;
      return { resource: r, sourcePath: plainPathMapper(root, true) };
    }
    default:
      return undefined;
  }
}
