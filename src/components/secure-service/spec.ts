import * as pulumi from "@pulumi/pulumi";
import { AppType, ProfileTemplate } from "../runtime-profile/syscalls";
import { resolveTarget, type Target } from "../target";
import {
  type ArgsIssue,
  ComponentArgsError,
  containsUnknown,
  resourceNameIssues,
} from "../validation/issues";
import { cpuCores, memoryBytes } from "../validation/quantities";
import { argsIssuesFromZod } from "../validation/zod-issues";
import { Capability, type ConnectionArgs, type SecureServiceArgs } from "./args";
import { checkImage } from "./image";
import type { AppliedOverride, OverrideContext, OverrideName } from "./overrides";
import { type ParsedServiceArgs, secureServiceArgsSchema } from "./schema";
import { checkSecretFiles, type SecretFileSpec } from "./secret-files";
import { checkSegment, type SegmentSpec } from "./segment";
import {
  bindAddress,
  checkEngineSocket,
  checkHealthCheck,
  checkPaths,
  checkPorts,
  checkReplicas,
  checkRequests,
  DEFAULT_ENGINE_SOCKET,
  grantedCapabilities,
  type PortSpec,
  portSpecs,
} from "./validate";
import type { VolumeRefSpec } from "./volume-refs";

export type { PortSpec };

/** Invalid SecureService args (see ComponentArgsError). */
export class SecureServiceArgsError extends ComponentArgsError {
  constructor(name: string, issues: ArgsIssue[]) {
    super("SecureService", name, issues);
    this.name = "SecureServiceArgsError";
  }
}

/**
 * The validated, defaulted, hardened description of one service: everything either backend
 * needs, each fact once. The backends read only this.
 */
export interface ServiceSpec {
  name: string;
  target: Target;
  /** The image, checked: a plain reference now, or an Output that fails when it resolves to a bad one. */
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
  /** Secrets as files under /run/secrets (see secret-files.ts). */
  secretFiles: SecretFileSpec[];
  /** EncryptedVolumes by reference, with their index in `volumes` of the args (for messages). */
  volumeRefs: VolumeRefSpec[];
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
  /** What decides which rules the overrides weaken (see overrides.ts). */
  overrideContext: OverrideContext;
  /** The SegmentedNetworks the service joins (see segment.ts). */
  segment?: SegmentSpec;
  /** Docker: the engine's socket, read-only (overrides.engineSocket). */
  engineSocket?: { socketPath: string; groupId: number };
}

export interface SpecResult {
  spec: ServiceSpec;
  /** Advice that does not stop the deployment (an image by tag, a port a non-root process cannot bind). */
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

/**
 * Validates the args and builds the hardened spec. Throws `SecureServiceArgsError` listing
 * every problem (field path, bad value, fix); nothing is registered before this returns. An
 * image given as an Output is checked when it resolves: the spec's image then fails with the
 * same error, and the resources that take it fail to register.
 */
export function buildServiceSpec(name: string, args: SecureServiceArgs): SpecResult {
  const issues: ArgsIssue[] = resourceNameIssues(name, "container and Kubernetes object names");
  if (args === null || typeof args !== "object")
    throw new SecureServiceArgsError(String(name), [
      ...issues,
      {
        path: "",
        value: args,
        message: "args must be an object with at least docker or kubernetes, image and healthCheck",
      },
    ]);
  const resolved = resolveTarget(args, { required: true, component: "SecureService" });
  issues.push(...resolved.issues);
  for (const field of PLAIN_FIELDS) {
    // A volume's `volume` (an EncryptedVolume's volumeRef) may be an Output; the rest is plain.
    const value =
      field === "volumes" && Array.isArray(args.volumes)
        ? args.volumes.map((v) => (v && typeof v === "object" ? { ...v, volume: undefined } : v))
        : args[field];
    if (containsUnknown(value))
      issues.push({
        path: field,
        value,
        message: `${field} decides which resources are created, so it must be a plain value known when the program runs (not an Output or Promise)`,
      });
  }
  if (Array.isArray(args.secretFiles))
    args.secretFiles.forEach((f, i) => {
      for (const field of ["path", "mode"] as const)
        if (f && typeof f === "object" && containsUnknown(f[field]))
          issues.push({
            path: `secretFiles.${i}.${field}`,
            value: f[field],
            message: `${field} decides where the secret is mounted, so it must be a plain value known when the program runs (only value may be an Output)`,
          });
    });
  else if (containsUnknown(args.secretFiles))
    issues.push({
      path: "secretFiles",
      value: args.secretFiles,
      message:
        "secretFiles decides which resources are created: give a plain list (its values may be Outputs)",
    });
  if (issues.some((i) => i.path !== "name" && !isTargetPath(i.path))) throw invalid(name, issues);

  const parsed = secureServiceArgsSchema.safeParse(args);
  if (!parsed.success) issues.push(...argsIssuesFromZod(parsed.error, args, "SecureServiceArgs"));
  const target = resolved.target;
  if (!target || !parsed.success) throw invalid(name, issues);
  return assemble(name, args, parsed.data, target, issues);
}

function isTargetPath(path: string): boolean {
  return /^(docker|kubernetes|platform)(\.|$)/.test(path);
}

/** Environment values and secret values are never shown in messages. */
function invalid(name: string, issues: ArgsIssue[]): SecureServiceArgsError {
  return new SecureServiceArgsError(
    String(name),
    issues.map((i) =>
      i.path.startsWith("env.") || /^secretFiles\.\d+\.value/.test(i.path) ? { ...i, sensitive: true } : i,
    ),
  );
}

function assemble(
  name: string,
  args: SecureServiceArgs,
  a: ParsedServiceArgs,
  target: Target,
  issues: ArgsIssue[],
): SpecResult {
  const warnings: string[] = [];
  const mutableTagAllowed = a.overrides?.mutableImageTag !== undefined;
  let image: pulumi.Input<string> = args.image;
  let imageTag: string | undefined | null = null;
  if (pulumi.Output.isInstance(args.image) || args.image instanceof Promise) {
    // Checked once, when it resolves: every resource that takes the image waits for this.
    image = pulumi.output(args.image).apply((resolvedImage) => {
      const checked = checkImage(resolvedImage, target.kind, mutableTagAllowed);
      if (checked.issues.length > 0) throw invalid(name, checked.issues);
      if (checked.warning) pulumi.log.warn(`SecureService ${name}: ${checked.warning}`);
      return resolvedImage;
    });
  } else {
    const checked = checkImage(args.image, target.kind, mutableTagAllowed);
    issues.push(...checked.issues);
    if (checked.warning) warnings.push(checked.warning);
    imageTag = checked.tag;
  }

  const capabilities = grantedCapabilities(a, target, issues);
  const ports = portSpecs(a);
  checkPorts(ports, target, issues);
  for (const p of ports)
    if (p.containerPort < 1024 && !capabilities.includes(Capability.NetBindService))
      warnings.push(
        `port ${p.containerPort} is below 1024: a non-root process cannot bind it without NET_BIND_SERVICE; listen on 1024 or above`,
      );
  const healthPort = a.healthCheck.port ?? ports[0]?.containerPort;
  checkHealthCheck(a, target, healthPort, issues);
  const cpu = a.resources?.cpu ?? "500m";
  const memory = a.resources?.memory ?? "256Mi";
  const limits = {
    cpu,
    memory,
    cpuRequest: a.resources?.cpuRequest ?? cpu,
    memoryRequest: a.resources?.memoryRequest ?? memory,
  };
  checkRequests(limits, issues);
  const writablePaths = checkPaths(a, issues);
  const secretFiles = checkSecretFiles(
    a.secretFiles,
    { writablePaths, volumePaths: (a.volumes ?? []).map((v) => v.mountPath) },
    issues,
  );
  const replicas = checkReplicas(a, target, ports.length, issues);
  const bind = bindAddress(a, target, issues);
  const segment = checkSegment(name, args, target, issues);
  checkEngineSocket(a, target, ports.length, issues);
  if (issues.length > 0) throw invalid(name, issues);

  const [uidText, gidText] = (a.user ?? "10001:10001").split(":");
  const uid = Number(uidText);
  const gid = gidText === undefined ? uid : Number(gidText);
  const overrides: AppliedOverride[] = [];
  for (const key of Object.keys(a.overrides ?? {}) as OverrideName[]) {
    const o = a.overrides?.[key];
    if (o) overrides.push({ name: key, reason: o.reason.trim() });
  }
  const h = a.healthCheck;
  const writablePathSize = a.writablePathSize ?? "64Mi";
  const spec: ServiceSpec = {
    name,
    target,
    image,
    ports,
    env: Object.entries(args.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
    healthCheck: {
      intervalSeconds: h.intervalSeconds ?? 30,
      timeoutSeconds: h.timeoutSeconds ?? 5,
      retries: h.retries ?? 3,
      startPeriodSeconds: h.startPeriodSeconds ?? 10,
    },
    resources: {
      ...limits,
      cpuCores: cpuCores(cpu),
      memoryBytes: memoryBytes(memory),
      pids: a.resources?.pids ?? 256,
    },
    replicas,
    uid,
    gid,
    writablePaths,
    writablePathSize,
    writablePathBytes: memoryBytes(writablePathSize),
    volumes: (a.volumes ?? []).flatMap((v) =>
      v.name === undefined ? [] : [{ name: v.name, mountPath: v.mountPath, readOnly: v.readOnly ?? false }],
    ),
    volumeRefs: (a.volumes ?? []).flatMap((v, index) =>
      v.name !== undefined
        ? []
        : [
            {
              index,
              ref: args.volumes?.[index]?.volume as pulumi.Input<string>,
              mountPath: v.mountPath,
              readOnly: v.readOnly ?? false,
            },
          ],
    ),
    secretFiles,
    capabilities,
    appType: a.runtimeProfile?.appType ?? AppType.Web,
    template: a.runtimeProfile?.template ?? ProfileTemplate.Default,
    readOnlyRootFilesystem: !a.overrides?.writableRootFilesystem,
    bindAddress: bind,
    labels: { ...(a.labels ?? {}) },
    ingressFrom: a.ingressFrom ?? [],
    egressTo: a.egressTo ?? [],
    networkPolicy: !a.overrides?.skipNetworkPolicy,
    restartMaxRetries: a.restartMaxRetries ?? 5,
    ulimits: { nofile: 4096, nproc: a.resources?.pids ?? 256 },
    logMaxSize: "10m",
    logMaxFiles: 3,
    overrides,
    overrideContext: { kind: target.kind, capabilities, portCount: ports.length, imageTag },
  };
  if (a.command) spec.command = a.command;
  if (a.args) spec.args = a.args;
  if (segment) spec.segment = segment;
  const socket = a.overrides?.engineSocket;
  if (socket)
    spec.engineSocket = { socketPath: socket.socketPath ?? DEFAULT_ENGINE_SOCKET, groupId: socket.groupId };
  if (h.command) spec.healthCheck.command = h.command;
  if (h.httpGetPath) spec.healthCheck.httpGetPath = h.httpGetPath;
  if (healthPort !== undefined) spec.healthCheck.port = healthPort;
  if (a.podDisruptionBudgetMinAvailable !== undefined)
    spec.podDisruptionBudgetMinAvailable = a.podDisruptionBudgetMinAvailable;
  return { spec, warnings };
}

/**
 * What every child resource of the service depends on: nothing for a plain image (`undefined`
 * when there is nothing else either: the SDK gathers even an empty list); the checked image for
 * an Output, so that a bad reference fails each child's registration instead of leaving a
 * network or a ServiceAccount behind without the workload.
 */
export function imageGate(
  spec: ServiceSpec,
  after: pulumi.Resource[] = [],
): pulumi.Input<pulumi.Resource[]> | undefined {
  if (!pulumi.Output.isInstance(spec.image)) return after.length > 0 ? after : undefined;
  return spec.image.apply(() => after);
}
