/** The zod schema of SecureService's plain args: one field's syntax each; cross-field rules are in validate.ts. */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AppType, ProfileTemplate } from "../runtime-profile/syscalls";
import {
  absolutePath,
  cpuQuantity,
  DNS_LABEL,
  enumValue,
  labelMap,
  memoryQuantity,
  overrideReason,
  port,
  reason,
  text,
  wholeNumber,
} from "../validation/fields";
import { describeValue } from "../validation/issues";
import { Capability, Protocol } from "./args";
import { secretFileSchema } from "./secret-files";

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names that say "secret": such values belong in files mounted read-only, not in the environment. */
export const SECRET_LOOKING_ENV = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

const capability = z.enum(Capability, {
  error: (iss) =>
    `unknown capability ${describeValue({ value: iss.input })}; use a name without "CAP_" from: ${Object.values(Capability).join(", ")}`,
});

const connection = (what: string) =>
  z.strictObject({
    podLabels: labelMap(`${what}.podLabels`, {
      nonEmpty: `${what}.podLabels is empty, which selects every pod; name the peer pods' labels, e.g. { "app.kubernetes.io/name": "api" }`,
    }),
    namespaceLabels: labelMap(`${what}.namespaceLabels`, {
      nonEmpty: `${what}.namespaceLabels is empty, which selects every namespace; name the peer namespace's labels, or leave it out for the service's own namespace`,
    }).optional(),
    ports: z.array(port("port")).optional(),
  });

const commandLine = (what: string) => z.array(text(`${what} items`));

const healthCheck = z
  .strictObject(
    {
      command: commandLine("healthCheck.command")
        .min(1, { error: "healthCheck.command needs at least the program to run" })
        .refine((c) => (c[0] ?? "").trim() !== "", {
          error: 'healthCheck.command starts with the program to run, e.g. ["/app/healthcheck"]; it is empty',
        })
        .optional(),
      httpGetPath: z
        .string()
        .regex(/^\/\S*$/, { error: 'httpGetPath must start with "/", e.g. "/healthz"' })
        .optional(),
      port: port("healthCheck.port").optional(),
      intervalSeconds: wholeNumber("healthCheck.intervalSeconds", 1, 3600).optional(),
      timeoutSeconds: wholeNumber("healthCheck.timeoutSeconds", 1, 600).optional(),
      retries: wholeNumber("healthCheck.retries", 1, 20).optional(),
      startPeriodSeconds: wholeNumber("healthCheck.startPeriodSeconds", 0, 3600).optional(),
    },
    {
      error: "healthCheck is required: give a command (Docker and Kubernetes) or an httpGetPath (Kubernetes)",
    },
  )
  .refine((h) => h.command !== undefined || h.httpGetPath !== undefined, {
    error: 'healthCheck needs a command (e.g. ["/app/healthcheck"]) or an httpGetPath (e.g. "/healthz")',
  });

const user = z
  .string({ error: 'user must be a string "uid" or "uid:gid", e.g. "10001:10001"' })
  .superRefine((u, ctx) => {
    const problem = userProblem(u);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

function userProblem(u: string): string | undefined {
  const m = /^(\d+)(?::(\d+))?$/.exec(u);
  if (u === "root" || (m && Number(m[1]) === 0) || /^0:/.test(u) || /^root:/.test(u))
    return 'user runs as root (uid 0); set a non-root numeric user such as "10001:10001"';
  if (!m)
    return 'user must be numeric "uid" or "uid:gid" (names cannot be checked for root); e.g. "10001:10001"';
  if (Number(m[1]) > 2147483647 || Number(m[2] ?? 1) > 2147483647)
    return "uid and gid must be below 2147483648";
  if (m[2] !== undefined && Number(m[2]) === 0)
    return 'the primary group is root (gid 0); use a non-root gid such as "10001:10001"';
  return undefined;
}

const env = z.record(z.string(), z.any()).superRefine((vars, ctx) => {
  for (const [k, v] of Object.entries(vars)) {
    let message: string | undefined;
    if (!ENV_NAME.test(k))
      message = "environment variable names are letters, digits and '_', not starting with a digit";
    else if (SECRET_LOOKING_ENV.test(k))
      message =
        "looks like a secret; env is for non-secret values only: give secrets to the service as files mounted read-only, never as environment variables";
    else if (typeof v === "string" && v.includes("\0"))
      message = "environment values must not contain NUL bytes";
    else if (typeof v !== "string" && !pulumi.Output.isInstance(v) && !(v instanceof Promise))
      message = "environment values must be strings";
    if (message) ctx.addIssue({ code: "custom", path: [k], message });
  }
});

const resources = z.strictObject({
  cpu: cpuQuantity("resources.cpu").optional(),
  memory: memoryQuantity("resources.memory").optional(),
  cpuRequest: cpuQuantity("resources.cpuRequest").optional(),
  memoryRequest: memoryQuantity("resources.memoryRequest").optional(),
  pids: wholeNumber("resources.pids", 8, 65536).optional(),
});

const servicePort = z.strictObject({
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
});

const volume = z
  .strictObject({
    name: z
      .string()
      .regex(DNS_LABEL, { error: "volume name must be lowercase letters, digits and '-' (DNS label)" })
      .optional(),
    // An EncryptedVolume's volumeRef, usually an Output: checked when it resolves (volume-refs.ts).
    volume: z.any().optional(),
    mountPath: absolutePath("volume mountPath"),
    readOnly: z.boolean().optional(),
  })
  .refine((v) => (v.name === undefined) !== (v.volume === undefined), {
    error:
      "give exactly one of name (an existing named volume or claim) and volume (an EncryptedVolume's volumeRef)",
  });

const overrides = z.strictObject({
  writableRootFilesystem: overrideReason.optional(),
  extraCapabilities: z
    .strictObject({
      reason,
      capabilities: z
        .array(capability)
        .min(1, { error: "extraCapabilities.capabilities lists at least one capability" }),
    })
    .optional(),
  publicBind: overrideReason.optional(),
  skipNetworkPolicy: overrideReason.optional(),
  mutableImageTag: overrideReason.optional(),
  engineSocket: z
    .strictObject({
      reason,
      groupId: wholeNumber("overrides.engineSocket.groupId", 1, 2_147_483_647),
      socketPath: absolutePath("overrides.engineSocket.socketPath").optional(),
    })
    .optional(),
});

/**
 * SecureService's args, field by field. `docker`, `kubernetes` and `image` are checked on their
 * own (target.ts, image.ts): they are let through here.
 */
export const secureServiceArgsSchema = z.strictObject({
  docker: z.any().optional(),
  kubernetes: z.any().optional(),
  platform: z.any().optional(),
  image: z.any(),
  segment: z.any().optional(),
  command: commandLine("command").optional(),
  args: commandLine("args").optional(),
  ports: z.array(servicePort).optional(),
  env: env.optional(),
  healthCheck,
  resources: resources.optional(),
  replicas: wholeNumber("replicas", 1, 100).optional(),
  user: user.optional(),
  writablePaths: z.array(absolutePath("writable path")).optional(),
  writablePathSize: memoryQuantity("writablePathSize").optional(),
  volumes: z.array(volume).optional(),
  secretFiles: z.array(secretFileSchema).optional(),
  capabilities: z.array(capability).optional(),
  runtimeProfile: z
    .strictObject({
      appType: enumValue(AppType, "appType").optional(),
      template: enumValue(ProfileTemplate, "template").optional(),
    })
    .optional(),
  labels: labelMap("labels").optional(),
  ingressFrom: z.array(connection("ingressFrom")).optional(),
  egressTo: z.array(connection("egressTo")).optional(),
  podDisruptionBudgetMinAvailable: wholeNumber("podDisruptionBudgetMinAvailable", 1, 100).optional(),
  restartMaxRetries: wholeNumber("restartMaxRetries", 1, 5, " (CIS Docker 5.15)").optional(),
  overrides: overrides.optional(),
});

export type ParsedServiceArgs = z.infer<typeof secureServiceArgsSchema>;
