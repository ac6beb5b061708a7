import * as pulumi from "@pulumi/pulumi";
import { SUPPRESS_KEY_PREFIX } from "../../adapters/suppressions";
import { parseImageRef } from "../../model/image";
import type { DockerPlatform } from "../../platform/docker-platform";
import { type KubernetesPlatform, PodSecurityLevel } from "../../platform/kubernetes-platform";
import { type Platform, PlatformKind } from "../../platform/platform";
import { ruleById } from "../../rules/catalog";
import { BASELINE_ALLOWED_CAPABILITIES } from "../../rules/pss/capabilities-baseline";
import { AppType, ProfileTemplate } from "../runtime-profile/syscalls";
import {
  ALLOWED_CAPABILITIES,
  type ArgsIssue,
  Capability,
  type ConnectionArgs,
  cpuCores,
  FORBIDDEN_CAPABILITIES,
  memoryBytes,
  Protocol,
  type SecureServiceArgs,
  SecureServiceArgsError,
  type SecureServiceOverrides,
  secureServiceArgsSchema,
} from "./args";

/** Annotation (Kubernetes) / label (Docker) key recording an override and its reason. */
export const OVERRIDE_KEY_PREFIX = "shipshape.io/override.";
/** Key of the audit suppression an override writes for the rules it knowingly weakens. */
export { SUPPRESS_KEY_PREFIX };

/**
 * The rules an override knowingly weakens on a platform. The override writes a suppression
 * carrying its reason for each of them (that the catalog has), so audits show the decision
 * instead of an unexplained finding — and only for rules that would fire, since an unused
 * suppression is itself reported.
 */
export function overrideRuleIds(
  name: keyof SecureServiceOverrides,
  spec: Pick<ServiceSpec, "capabilities" | "ports" | "imageTag">,
  kind: PlatformKind,
): string[] {
  switch (name) {
    case "writableRootFilesystem":
      return ["read-only-root-filesystem"];
    case "extraCapabilities": {
      const extra = spec.capabilities.filter((c) => c !== "NET_BIND_SERVICE");
      const ids = extra.length > 0 ? ["drop-all-capabilities"] : [];
      if (extra.some((c) => !BASELINE_ALLOWED_CAPABILITIES.has(c))) ids.push("capabilities-baseline");
      return ids;
    }
    case "publicBind":
      return kind === PlatformKind.Docker && spec.ports.length > 0 ? ["ports-all-interfaces"] : [];
    case "skipNetworkPolicy":
      return kind === PlatformKind.Kubernetes ? ["missing-network-policy"] : [];
    case "mutableImageTag":
      if (spec.imageTag === null) return [];
      return spec.imageTag === undefined || spec.imageTag === "latest"
        ? ["image-digest", "image-latest-tag"]
        : ["image-digest"];
  }
}

export interface AppliedOverride {
  name: keyof SecureServiceOverrides;
  reason: string;
}

export interface PortSpec {
  name: string;
  containerPort: number;
  hostPort: number;
  protocol: Protocol;
}

/** The validated, defaulted, hardened description of one service that both backends render. */
export interface ServiceSpec {
  name: string;
  image: pulumi.Input<string>;
  command?: string[];
  args?: string[];
  ports: PortSpec[];
  env: { name: string; value: pulumi.Input<string> }[];
  healthCheck: {
    command?: string[];
    httpGetPath?: string;
    port?: number;
    intervalSeconds: number;
    timeoutSeconds: number;
    retries: number;
    startPeriodSeconds: number;
  };
  resources: {
    cpu: string;
    cpuCores: number;
    memory: string;
    memoryBytes: number;
    cpuRequest: string;
    memoryRequest: string;
    pids: number;
  };
  replicas: number;
  uid: number;
  gid: number;
  writablePaths: string[];
  writablePathSize: string;
  writablePathBytes: number;
  volumes: { name: string; mountPath: string; readOnly: boolean }[];
  capabilities: Capability[];
  appType: AppType;
  template: ProfileTemplate;
  readOnlyRootFilesystem: boolean;
  bindAddress: string;
  labels: Record<string, string>;
  ingressFrom: ConnectionArgs[];
  egressTo: ConnectionArgs[];
  networkPolicy: boolean;
  podDisruptionBudgetMinAvailable?: number;
  restartMaxRetries: number;
  ulimits: { nofile: number; nproc: number };
  logMaxSize: string;
  logMaxFiles: number;
  overrides: AppliedOverride[];
  /**
   * The image's tag when the image is a plain reference without a digest (`undefined`: no tag,
   * i.e. latest); `null` when it is pinned by digest or not known yet.
   */
  imageTag: string | undefined | null;
}

export interface SpecResult {
  spec: ServiceSpec;
  warnings: string[];
}

/** Fields whose value decides the shape of the resources, so they must be known now. */
const PLAIN_FIELDS = [
  "command",
  "args",
  "ports",
  "healthCheck",
  "resources",
  "replicas",
  "user",
  "writablePaths",
  "writablePathSize",
  "volumes",
  "capabilities",
  "runtimeProfile",
  "labels",
  "ingressFrom",
  "egressTo",
  "podDisruptionBudgetMinAvailable",
  "restartMaxRetries",
  "overrides",
] as const;

function containsOutput(value: unknown, depth = 0): boolean {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return true;
  if (depth > 6 || value === null || typeof value !== "object") return false;
  return Object.values(value as Record<string, unknown>).some((v) => containsOutput(v, depth + 1));
}

/** Validates an image reference; returns issues and a warning when it is not pinned. */
export function checkImage(
  image: string,
  platform: Platform,
  overrides: SecureServiceOverrides | undefined,
): { issues: ArgsIssue[]; warning?: string } {
  const ref = parseImageRef(image);
  if (!ref) {
    return {
      issues: [
        {
          path: "image",
          value: image,
          message:
            'image reference does not parse; write [registry/]repository[:tag][@sha256:<64 hex>] in lowercase, e.g. "registry.example.com/team/app@sha256:…"',
        },
      ],
    };
  }
  if (ref.digest) return { issues: [] };
  if (platform.kind === PlatformKind.Kubernetes && !overrides?.mutableImageTag) {
    return {
      issues: [
        {
          path: "image",
          value: image,
          message:
            "Kubernetes deployments pin images by digest; write repository@sha256:<digest> (e.g. from SignedImage), or set overrides.mutableImageTag with a reason",
        },
      ],
    };
  }
  return {
    issues: [],
    warning: `image ${JSON.stringify(image)} is not pinned by digest: the tag can move to other content; pin it as repository@sha256:<digest>`,
  };
}

function asPlatform(value: unknown): Platform | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const kind = (value as { kind?: unknown }).kind;
  return kind === PlatformKind.Docker || kind === PlatformKind.Kubernetes ? (value as Platform) : undefined;
}

/**
 * Validates the args and builds the hardened spec. Throws `SecureServiceArgsError` listing
 * every problem (field path, bad value, fix); nothing is registered before this returns.
 */
export function buildServiceSpec(name: string, args: SecureServiceArgs): SpecResult {
  const issues: ArgsIssue[] = [];
  const warnings: string[] = [];
  if (typeof name !== "string" || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 50) {
    issues.push({
      path: "name",
      value: name,
      message:
        "the resource name becomes container and Kubernetes object names: use at most 50 lowercase letters, digits and '-', starting and ending with a letter or digit",
    });
  }
  if (args === null || typeof args !== "object") {
    throw new SecureServiceArgsError(String(name), [
      ...issues,
      {
        path: "",
        value: args,
        message: "args must be an object with at least platform, image and healthCheck",
      },
    ]);
  }
  const platform = asPlatform(args.platform);
  if (!platform) {
    issues.push({
      path: "platform",
      value: args.platform,
      message:
        'platform must be a DockerPlatform or a KubernetesPlatform (new DockerPlatform("local") / new KubernetesPlatform({ namespace }))',
    });
  }
  for (const field of PLAIN_FIELDS) {
    if (containsOutput(args[field])) {
      issues.push({
        path: field,
        value: args[field],
        message: `${field} decides which resources are created, so it must be a plain value known when the program runs (not an Output or Promise)`,
      });
    }
  }
  if (issues.some((i) => i.path !== "name" && i.path !== "platform"))
    throw new SecureServiceArgsError(String(name), issues);

  const parsed = secureServiceArgsSchema.safeParse(args);
  if (!parsed.success) {
    for (const iss of parsed.error.issues) {
      const path = iss.path.map(String).join(".");
      let value: unknown = args;
      for (const seg of iss.path)
        value =
          value === null || typeof value !== "object"
            ? undefined
            : (value as Record<PropertyKey, unknown>)[seg];
      let message = iss.message;
      if (iss.code === "unrecognized_keys")
        message = `unknown field(s) ${iss.keys.join(", ")}; check the spelling against SecureServiceArgs`;
      else if (iss.code === "invalid_type" && /^Invalid input/.test(message))
        message = `expected ${iss.expected}`;
      issues.push({ path, value, message });
    }
  }
  if (!platform || !parsed.success) throw new SecureServiceArgsError(String(name), issues);
  const a = parsed.data;
  const overrides = args.overrides;

  // Image: plain strings are checked now, Outputs when they resolve (see the component).
  if (typeof args.image === "string") {
    const checked = checkImage(args.image, platform, overrides);
    issues.push(...checked.issues);
    if (checked.warning) warnings.push(checked.warning);
  } else if (!pulumi.Output.isInstance(args.image) && !(args.image instanceof Promise)) {
    issues.push({
      path: "image",
      value: args.image,
      message: 'image must be a string such as "registry.example.com/team/app@sha256:…"',
    });
  }

  // Capabilities: the allow-list, then the override, never the forbidden ones.
  const caps = new Set<Capability>();
  (a.capabilities ?? []).forEach((c, i) => {
    if (!ALLOWED_CAPABILITIES.includes(c)) {
      issues.push({
        path: `capabilities.${i}`,
        value: c,
        message: `${c} is not on the allow-list (${ALLOWED_CAPABILITIES.join(", ")}); if the service really needs it, add it through overrides.extraCapabilities with a reason`,
      });
    } else caps.add(c);
  });
  (a.overrides?.extraCapabilities?.capabilities ?? []).forEach((c, i) => {
    if (FORBIDDEN_CAPABILITIES.includes(c)) {
      issues.push({
        path: `overrides.extraCapabilities.capabilities.${i}`,
        value: c,
        message: `${c} is never granted: it breaks the container boundary; run that task outside the service`,
      });
    } else if (
      platform.kind === PlatformKind.Kubernetes &&
      (platform as KubernetesPlatform).podSecurityLevel === PodSecurityLevel.Restricted &&
      !ALLOWED_CAPABILITIES.includes(c)
    ) {
      issues.push({
        path: `overrides.extraCapabilities.capabilities.${i}`,
        value: c,
        message: `the namespace enforces Pod Security "restricted", which rejects adding ${c}; drop it or target a "baseline" namespace`,
      });
    } else caps.add(c);
  });

  // Ports.
  const ports: PortSpec[] = (a.ports ?? []).map((p) => ({
    name: p.name ?? `p${p.containerPort}`,
    containerPort: p.containerPort,
    hostPort: p.hostPort ?? p.containerPort,
    protocol: p.protocol ?? Protocol.Tcp,
  }));
  const seenPorts = new Map<string, number>();
  ports.forEach((p, i) => {
    const key = `${p.hostPort}/${p.protocol}`;
    const prev = seenPorts.get(key);
    if (prev !== undefined)
      issues.push({
        path: `ports.${i}.hostPort`,
        value: p.hostPort,
        message: `port ${key} is already used by ports.${prev}; give each port its own hostPort`,
      });
    seenPorts.set(key, i);
  });
  if (platform.kind === PlatformKind.Docker) {
    ports.forEach((p, i) => {
      if (p.hostPort < 1024)
        issues.push({
          path: `ports.${i}.hostPort`,
          value: p.hostPort,
          message:
            "Docker publishes this on a privileged host port (below 1024); publish on 1024 or above (e.g. 8080) and put a proxy in front (CIS Docker 5.8)",
        });
    });
  }
  ports.forEach((p) => {
    if (p.containerPort < 1024 && !caps.has(Capability.NetBindService))
      warnings.push(
        `port ${p.containerPort} is below 1024: a non-root process cannot bind it without NET_BIND_SERVICE; listen on 1024 or above`,
      );
  });
  if (new Set(ports.map((p) => p.name)).size !== ports.length) {
    issues.push({
      path: "ports",
      value: ports.map((p) => p.name),
      message: "port names must be unique; set ports[].name",
    });
  }

  // Health check.
  const health = a.healthCheck;
  if (platform.kind === PlatformKind.Docker && !health.command) {
    issues.push({
      path: "healthCheck.command",
      value: undefined,
      message:
        'Docker runs health checks as a command inside the container; set healthCheck.command (e.g. ["/app/healthcheck"])',
    });
  }
  const healthPort = health.port ?? ports[0]?.containerPort;
  if (health.httpGetPath && !health.command && healthPort === undefined) {
    issues.push({
      path: "healthCheck.port",
      value: undefined,
      message: "httpGetPath needs a port: set healthCheck.port or declare a port",
    });
  }

  // Resources.
  const cpu = a.resources?.cpu ?? "500m";
  const memory = a.resources?.memory ?? "256Mi";
  const cpuRequest = a.resources?.cpuRequest ?? cpu;
  const memoryRequest = a.resources?.memoryRequest ?? memory;
  if (cpuCores(cpuRequest) > cpuCores(cpu))
    issues.push({
      path: "resources.cpuRequest",
      value: cpuRequest,
      message: `cpuRequest cannot exceed the cpu limit ${cpu}; lower it or raise resources.cpu`,
    });
  if (memoryBytes(memoryRequest) > memoryBytes(memory))
    issues.push({
      path: "resources.memoryRequest",
      value: memoryRequest,
      message: `memoryRequest cannot exceed the memory limit ${memory}; lower it or raise resources.memory`,
    });

  // Paths.
  const writablePaths = [...new Set(a.writablePaths ?? [])];
  if (writablePaths.length !== (a.writablePaths ?? []).length)
    issues.push({
      path: "writablePaths",
      value: a.writablePaths,
      message: "writablePaths lists a path twice; list each once",
    });
  (a.volumes ?? []).forEach((v, i) => {
    if (writablePaths.includes(v.mountPath))
      issues.push({
        path: `volumes.${i}.mountPath`,
        value: v.mountPath,
        message: "this path is also a writable path; a path is either a tmpfs or a volume",
      });
  });
  if (new Set((a.volumes ?? []).map((v) => v.name)).size !== (a.volumes ?? []).length)
    issues.push({ path: "volumes", value: a.volumes, message: "volume names must be unique" });

  const replicas = a.replicas ?? 1;
  if (a.podDisruptionBudgetMinAvailable !== undefined && a.podDisruptionBudgetMinAvailable >= replicas) {
    issues.push({
      path: "podDisruptionBudgetMinAvailable",
      value: a.podDisruptionBudgetMinAvailable,
      message: `must be below replicas (${replicas}), or no pod could ever be evicted for node maintenance`,
    });
  }
  if (platform.kind === PlatformKind.Docker && replicas > 1 && ports.length > 0) {
    issues.push({
      path: "replicas",
      value: replicas,
      message:
        "on one Docker host, replicas of a service with published ports would collide on the host ports; use replicas: 1 or a KubernetesPlatform",
    });
  }

  const docker = platform.kind === PlatformKind.Docker ? (platform as DockerPlatform) : undefined;
  const bindAddress = a.overrides?.publicBind ? "0.0.0.0" : (docker?.bindAddress ?? "127.0.0.1");
  if (docker && !a.overrides?.publicBind && (bindAddress === "0.0.0.0" || bindAddress === "::")) {
    issues.push({
      path: "platform.bindAddress",
      value: bindAddress,
      message:
        "binding every interface needs overrides.publicBind with a reason; or bind a specific address such as 127.0.0.1",
    });
  }

  if (issues.length > 0) throw new SecureServiceArgsError(name, issues);

  const [uidText, gidText] = (a.user ?? "10001:10001").split(":");
  const uid = Number(uidText);
  const gid = gidText === undefined ? uid : Number(gidText);
  const applied: AppliedOverride[] = [];
  for (const key of Object.keys(a.overrides ?? {}) as (keyof SecureServiceOverrides)[]) {
    const o = a.overrides?.[key];
    if (!o) continue;
    applied.push({ name: key, reason: o.reason.trim() });
  }
  const spec: ServiceSpec = {
    name,
    image: args.image,
    ports,
    env: Object.entries(args.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
    healthCheck: {
      intervalSeconds: health.intervalSeconds ?? 30,
      timeoutSeconds: health.timeoutSeconds ?? 5,
      retries: health.retries ?? 3,
      startPeriodSeconds: health.startPeriodSeconds ?? 10,
    },
    resources: {
      cpu,
      cpuCores: cpuCores(cpu),
      memory,
      memoryBytes: memoryBytes(memory),
      cpuRequest,
      memoryRequest,
      pids: a.resources?.pids ?? 256,
    },
    replicas,
    uid,
    gid,
    writablePaths,
    writablePathSize: a.writablePathSize ?? "64Mi",
    writablePathBytes: memoryBytes(a.writablePathSize ?? "64Mi"),
    volumes: (a.volumes ?? []).map((v) => ({
      name: v.name,
      mountPath: v.mountPath,
      readOnly: v.readOnly ?? false,
    })),
    capabilities: [...caps].sort(),
    appType: a.runtimeProfile?.appType ?? AppType.Web,
    template: a.runtimeProfile?.template ?? ProfileTemplate.Default,
    readOnlyRootFilesystem: !a.overrides?.writableRootFilesystem,
    bindAddress,
    labels: { ...(a.labels ?? {}) },
    ingressFrom: a.ingressFrom ?? [],
    egressTo: a.egressTo ?? [],
    networkPolicy: !a.overrides?.skipNetworkPolicy,
    restartMaxRetries: a.restartMaxRetries ?? 5,
    ulimits: { nofile: 4096, nproc: a.resources?.pids ?? 256 },
    logMaxSize: "10m",
    logMaxFiles: 3,
    overrides: applied,
    imageTag: null,
  };
  if (typeof args.image === "string") {
    const ref = parseImageRef(args.image);
    if (ref && !ref.digest) spec.imageTag = ref.tag;
  }
  if (a.command) spec.command = a.command;
  if (a.args) spec.args = a.args;
  if (health.command) spec.healthCheck.command = health.command;
  if (health.httpGetPath) spec.healthCheck.httpGetPath = health.httpGetPath;
  if (healthPort !== undefined) spec.healthCheck.port = healthPort;
  if (a.podDisruptionBudgetMinAvailable !== undefined)
    spec.podDisruptionBudgetMinAvailable = a.podDisruptionBudgetMinAvailable;
  return { spec, warnings };
}

/**
 * The override keys with their reasons, for labels (Docker) or annotations (Kubernetes). With
 * `suppressions`, also the audit suppressions of the rules the overrides weaken: only for the
 * workload itself (container / Deployment), where those rules look, since a suppression on an
 * object no rule fires for is reported as unused.
 */
export function overrideRecords(
  spec: ServiceSpec,
  kind: PlatformKind,
  suppressions = false,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of spec.overrides) {
    out[`${OVERRIDE_KEY_PREFIX}${o.name}`] = o.reason;
    if (!suppressions) continue;
    for (const id of overrideRuleIds(o.name, spec, kind)) {
      if (ruleById(id)) out[`${SUPPRESS_KEY_PREFIX}${id}`] = `override ${o.name}: ${o.reason}`;
    }
  }
  return out;
}
