import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Platform } from "../../platform/platform";
import { AppType, ProfileTemplate } from "../runtime-profile/syscalls";

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
  /** Docker named volume / Kubernetes PersistentVolumeClaim name. */
  name: string;
  /** Absolute path inside the container. */
  mountPath: string;
  /** @default false */
  readOnly?: boolean;
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

export interface RuntimeProfileSelection {
  /** @default AppType.Web */
  appType?: AppType;
  /** @default ProfileTemplate.Default */
  template?: ProfileTemplate;
}

export interface SecureServiceArgs {
  /** Where the service runs (`new DockerPlatform(…)` or `new KubernetesPlatform(…)`). */
  platform: Platform;
  /** Image by digest (`repo@sha256:…`), or by tag (a warning; an override on Kubernetes). */
  image: pulumi.Input<string>;
  /** Replaces the image's entrypoint. @default the image's */
  command?: string[];
  /** Arguments. @default the image's */
  args?: string[];
  /** @default [] */
  ports?: ServicePortArgs[];
  /** Non-secret environment variables (secrets go through SecretStore, as files). @default {} */
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
  /** Persistent volumes. @default [] */
  volumes?: VolumeArgs[];
  /** Capabilities to add from the allow-list (NET_BIND_SERVICE). All others stay dropped. @default [] */
  capabilities?: Capability[];
  /** Seccomp/AppArmor profile selection. @default { appType: AppType.Web, template: ProfileTemplate.Default } */
  runtimeProfile?: RuntimeProfileSelection;
  /** Labels on every resource. @default {} */
  labels?: Record<string, string>;
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

// ---------------------------------------------------------------------------------------------
// Validation

/** One thing wrong with the args. */
export interface ArgsIssue {
  /** Dotted path from the args root (`ports.0.containerPort`). */
  path: string;
  /** The value found there (undefined when missing). */
  value: unknown;
  /** What is wrong and how to fix it. */
  message: string;
}

export class SecureServiceArgsError extends Error {
  readonly issues: ArgsIssue[];
  constructor(name: string, issues: ArgsIssue[]) {
    const lines = issues.map((i) => `  - ${i.path || "(args)"}: ${i.message} (got ${show(i.value)})`);
    super(`invalid SecureService "${name}" args:\n${lines.join("\n")}`);
    this.name = "SecureServiceArgsError";
    this.issues = issues;
  }
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (pulumi.Output.isInstance(value)) return "an Output";
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

const MIN_REASON = 10;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_LOOKING_ENV = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;
/** Kubernetes quantity for memory: a number with a binary or decimal suffix. */
const MEMORY = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|K|M|G|T)$/;
const CPU = /^(?:([0-9]+)m|([0-9]+(?:\.[0-9]+)?))$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const MEMORY_FACTORS: Record<string, number> = {
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  k: 1000,
  K: 1000,
  M: 1000 ** 2,
  G: 1000 ** 3,
  T: 1000 ** 4,
};

export function memoryBytes(quantity: string): number {
  const m = MEMORY.exec(quantity);
  if (!m) return Number.NaN;
  return Math.floor(Number(m[1]) * (MEMORY_FACTORS[m[2] ?? ""] ?? Number.NaN));
}

export function cpuCores(quantity: string): number {
  const m = CPU.exec(quantity);
  if (!m) return Number.NaN;
  return m[1] !== undefined ? Number(m[1]) / 1000 : Number(m[2]);
}

const reasonSchema = z.strictObject({
  reason: z
    .string({ error: "an override needs a reason string; say why this service needs the weakening" })
    .refine((r) => r.trim().length >= MIN_REASON, {
      error: `reason must be at least ${MIN_REASON} characters; say why this service needs the weakening`,
    }),
});

const port = (what: string) =>
  z
    .number({ error: `${what} must be a number between 1 and 65535` })
    .int({ error: `${what} must be a whole number between 1 and 65535` })
    .min(1, { error: `${what} must be between 1 and 65535` })
    .max(65535, { error: `${what} must be between 1 and 65535` });

const memorySchema = (what: string) =>
  z
    .string({ error: `${what} must be a string such as "256Mi"` })
    .refine((v) => MEMORY.test(v) && memoryBytes(v) >= 4 * 1024 ** 2, {
      error: `${what} must be a quantity with a unit of at least 4Mi, e.g. "256Mi" or "1Gi" (a bare number is ambiguous)`,
    });

const cpuSchema = (what: string) =>
  z
    .string({ error: `${what} must be a string such as "500m" or "0.5"` })
    .refine((v) => CPU.test(v) && cpuCores(v) >= 0.01 && cpuCores(v) <= 256, {
      error: `${what} must be cores ("0.5", "2") or millicores ("500m"), between 10m and 256`,
    });

const absolutePath = (what: string) =>
  z.string({ error: `${what} must be an absolute path string` }).superRefine((p, ctx) => {
    if (!p.startsWith("/"))
      ctx.addIssue({ code: "custom", message: `${what} must be absolute (start with "/"), e.g. "/tmp"` });
    else if (p === "/" || /^\/+$/.test(p))
      ctx.addIssue({
        code: "custom",
        message: `${what} cannot be the filesystem root "/"; name a directory under it, e.g. "/tmp"`,
      });
    else if (p.split("/").some((s) => s === ".." || s === "."))
      ctx.addIssue({
        code: "custom",
        message: `${what} must not contain "." or ".." segments (it would leave the declared directory); write the normalized path`,
      });
    else if (/[\s,:=]/.test(p))
      ctx.addIssue({ code: "custom", message: `${what} must not contain spaces, commas, colons or "="` });
    else if (/^\/(proc|sys|dev)(\/|$)/.test(p))
      ctx.addIssue({
        code: "custom",
        message: `${what} must not be under /proc, /sys or /dev, which belong to the runtime`,
      });
  });

const labelMap = (what: string) =>
  z.record(z.string(), z.string({ error: `${what} values must be strings` })).superRefine((labels, ctx) => {
    for (const [k, v] of Object.entries(labels)) {
      if (!LABEL_KEY.test(k) || k.length > 316)
        ctx.addIssue({
          code: "custom",
          path: [k],
          message: `label key ${JSON.stringify(k)} is not a valid label key; use letters, digits, "-", "_", "." and an optional "prefix/"`,
        });
      else if (!LABEL_VALUE.test(v) || v.length > 63)
        ctx.addIssue({
          code: "custom",
          path: [k],
          message:
            "label value must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
        });
      else if (k.startsWith("shipshape.io/"))
        ctx.addIssue({
          code: "custom",
          path: [k],
          message: `the "shipshape.io/" prefix is reserved for overrides and suppressions; use overrides instead`,
        });
    }
  });

const capabilitySchema = z.enum(Capability, {
  error: (iss) =>
    `unknown capability ${show(iss.input)}; use a name without "CAP_" from: ${Object.values(Capability).join(", ")}`,
});

const connectionSchema = z.strictObject({
  podLabels: labelMap("podLabels"),
  namespaceLabels: labelMap("namespaceLabels").optional(),
  ports: z.array(port("port")).optional(),
});

const healthSchema = z
  .strictObject(
    {
      command: z
        .array(z.string())
        .min(1, { error: "healthCheck.command needs at least the program to run" })
        .optional(),
      httpGetPath: z
        .string()
        .regex(/^\/\S*$/, { error: 'httpGetPath must start with "/", e.g. "/healthz"' })
        .optional(),
      port: port("healthCheck.port").optional(),
      intervalSeconds: z
        .number({ error: "healthCheck.intervalSeconds must be a whole number from 1 to 3600" })
        .int({ error: "healthCheck.intervalSeconds must be a whole number from 1 to 3600" })
        .min(1, { error: "healthCheck.intervalSeconds must be a whole number from 1 to 3600" })
        .max(3600, { error: "healthCheck.intervalSeconds must be a whole number from 1 to 3600" })
        .optional(),
      timeoutSeconds: z
        .number({ error: "healthCheck.timeoutSeconds must be a whole number from 1 to 600" })
        .int({ error: "healthCheck.timeoutSeconds must be a whole number from 1 to 600" })
        .min(1, { error: "healthCheck.timeoutSeconds must be a whole number from 1 to 600" })
        .max(600, { error: "healthCheck.timeoutSeconds must be a whole number from 1 to 600" })
        .optional(),
      retries: z
        .number({ error: "healthCheck.retries must be a whole number from 1 to 20" })
        .int({ error: "healthCheck.retries must be a whole number from 1 to 20" })
        .min(1, { error: "healthCheck.retries must be a whole number from 1 to 20" })
        .max(20, { error: "healthCheck.retries must be a whole number from 1 to 20" })
        .optional(),
      startPeriodSeconds: z
        .number({ error: "healthCheck.startPeriodSeconds must be a whole number from 0 to 3600" })
        .int({ error: "healthCheck.startPeriodSeconds must be a whole number from 0 to 3600" })
        .min(0, { error: "healthCheck.startPeriodSeconds must be a whole number from 0 to 3600" })
        .max(3600, { error: "healthCheck.startPeriodSeconds must be a whole number from 0 to 3600" })
        .optional(),
    },
    {
      error: "healthCheck is required: give a command (Docker and Kubernetes) or an httpGetPath (Kubernetes)",
    },
  )
  .refine((h) => h.command !== undefined || h.httpGetPath !== undefined, {
    error: 'healthCheck needs a command (e.g. ["/app/healthcheck"]) or an httpGetPath (e.g. "/healthz")',
  });

const userSchema = z
  .string({ error: 'user must be a string "uid" or "uid:gid", e.g. "10001:10001"' })
  .superRefine((u, ctx) => {
    const m = /^(\d+)(?::(\d+))?$/.exec(u);
    if (u === "root" || (m && Number(m[1]) === 0) || /^0:/.test(u) || /^root:/.test(u)) {
      ctx.addIssue({
        code: "custom",
        message: 'user runs as root (uid 0); set a non-root numeric user such as "10001:10001"',
      });
    } else if (!m) {
      ctx.addIssue({
        code: "custom",
        message:
          'user must be numeric "uid" or "uid:gid" (names cannot be checked for root); e.g. "10001:10001"',
      });
    } else if (Number(m[1]) > 2147483647 || Number(m[2] ?? 1) > 2147483647) {
      ctx.addIssue({ code: "custom", message: "uid and gid must be below 2147483648" });
    } else if (m[2] !== undefined && Number(m[2]) === 0) {
      ctx.addIssue({
        code: "custom",
        message: 'the primary group is root (gid 0); use a non-root gid such as "10001:10001"',
      });
    }
  });

/** The zod schema of the plain (resolved) args, without `platform` and `image`. */
export const secureServiceArgsSchema = z.strictObject({
  platform: z.any(),
  image: z.any(),
  command: z.array(z.string({ error: "command items must be strings" })).optional(),
  args: z.array(z.string({ error: "args items must be strings" })).optional(),
  ports: z
    .array(
      z.strictObject({
        containerPort: port("containerPort"),
        hostPort: port("hostPort").optional(),
        protocol: z
          .enum(Protocol, { error: 'protocol must be Protocol.Tcp ("TCP") or Protocol.Udp ("UDP")' })
          .optional(),
        name: z
          .string()
          .regex(/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/, {
            error: "port name must be at most 15 lowercase letters, digits or '-'",
          })
          .optional(),
      }),
    )
    .optional(),
  env: z
    .record(z.string(), z.any())
    .superRefine((env, ctx) => {
      for (const [k, v] of Object.entries(env)) {
        if (!ENV_NAME.test(k))
          ctx.addIssue({
            code: "custom",
            path: [k],
            message: "environment variable names are letters, digits and '_', not starting with a digit",
          });
        else if (SECRET_LOOKING_ENV.test(k))
          ctx.addIssue({
            code: "custom",
            path: [k],
            message:
              "looks like a secret; env is for non-secret values only — use SecretStore, which mounts secrets as files",
          });
        else if (typeof v !== "string" && !pulumi.Output.isInstance(v))
          ctx.addIssue({ code: "custom", path: [k], message: "environment values must be strings" });
      }
    })
    .optional(),
  healthCheck: healthSchema,
  resources: z
    .strictObject({
      cpu: cpuSchema("resources.cpu").optional(),
      memory: memorySchema("resources.memory").optional(),
      cpuRequest: cpuSchema("resources.cpuRequest").optional(),
      memoryRequest: memorySchema("resources.memoryRequest").optional(),
      pids: z
        .number({ error: "resources.pids must be a whole number between 8 and 65536" })
        .int({ error: "resources.pids must be a whole number between 8 and 65536" })
        .min(8, { error: "resources.pids must be at least 8" })
        .max(65536, { error: "resources.pids must be at most 65536" })
        .optional(),
    })
    .optional(),
  replicas: z
    .number()
    .int({ error: "replicas must be a whole number" })
    .min(1, { error: "replicas must be at least 1" })
    .max(100, { error: "replicas must be at most 100" })
    .optional(),
  user: userSchema.optional(),
  writablePaths: z.array(absolutePath("writable path")).optional(),
  writablePathSize: memorySchema("writablePathSize").optional(),
  volumes: z
    .array(
      z.strictObject({
        name: z
          .string()
          .regex(DNS_LABEL, { error: "volume name must be lowercase letters, digits and '-' (DNS label)" }),
        mountPath: absolutePath("volume mountPath"),
        readOnly: z.boolean().optional(),
      }),
    )
    .optional(),
  capabilities: z.array(capabilitySchema).optional(),
  runtimeProfile: z
    .strictObject({
      appType: z
        .enum(AppType, { error: `appType must be one of ${Object.values(AppType).join(", ")}` })
        .optional(),
      template: z
        .enum(ProfileTemplate, {
          error: `template must be one of ${Object.values(ProfileTemplate).join(", ")}`,
        })
        .optional(),
    })
    .optional(),
  labels: labelMap("labels").optional(),
  ingressFrom: z.array(connectionSchema).optional(),
  egressTo: z.array(connectionSchema).optional(),
  podDisruptionBudgetMinAvailable: z
    .number()
    .int()
    .min(1, { error: "podDisruptionBudgetMinAvailable must be at least 1" })
    .optional(),
  restartMaxRetries: z
    .number()
    .int()
    .min(1, { error: "restartMaxRetries must be between 1 and 5" })
    .max(5, { error: "restartMaxRetries must be between 1 and 5 (CIS Docker 5.15)" })
    .optional(),
  overrides: z
    .strictObject({
      writableRootFilesystem: reasonSchema.optional(),
      extraCapabilities: z
        .strictObject({
          reason: reasonSchema.shape.reason,
          capabilities: z
            .array(capabilitySchema)
            .min(1, { error: "extraCapabilities.capabilities lists at least one capability" }),
        })
        .optional(),
      publicBind: reasonSchema.optional(),
      skipNetworkPolicy: reasonSchema.optional(),
      mutableImageTag: reasonSchema.optional(),
    })
    .optional(),
});
