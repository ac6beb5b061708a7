import { isIP } from "node:net";
import { z } from "zod";
import type { DockerTargetArgs } from "../platform/docker-target";
import { type KubernetesTargetArgs, PodSecurityLevel } from "../platform/kubernetes-target";
import { PlatformKind } from "../platform/platform";
import { dnsLabel, enumValue, text } from "./validation/fields";
import { type ArgsIssue, containsUnknown } from "./validation/issues";
import { argsIssuesFromZod } from "./validation/zod-issues";

/** The target fields a component's args carry: exactly one of them. */
export interface TargetArgs {
  docker?: DockerTargetArgs;
  kubernetes?: KubernetesTargetArgs;
}

/** A Docker target with every default filled in. */
export interface DockerTarget {
  kind: PlatformKind.Docker;
  bindAddress: string;
  networks: string[];
  appArmorProfile?: string;
}

/** A Kubernetes target with every default filled in. */
export interface KubernetesTarget {
  kind: PlatformKind.Kubernetes;
  namespace: string;
  podSecurityLevel: PodSecurityLevel;
  localhostSeccompProfiles: boolean;
}

export type Target = DockerTarget | KubernetesTarget;

const DOCKER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const dockerTargetSchema = z.strictObject(
  {
    bindAddress: text("docker.bindAddress")
      .refine((a) => isIP(a) !== 0, {
        error: 'docker.bindAddress must be an IP address of the host, e.g. "127.0.0.1"',
      })
      .optional(),
    networks: z
      .array(
        text("docker.networks item").regex(DOCKER_NAME, {
          error:
            "docker network names are letters, digits, '_', '.' and '-', starting with a letter or digit",
        }),
      )
      .optional(),
    appArmorProfile: text("docker.appArmorProfile")
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
        error: "docker.appArmorProfile names a profile loaded on the host: letters, digits, '_', '.' and '-'",
      })
      .optional(),
  },
  { error: "docker must be an object of Docker target settings, e.g. docker: {} for the local engine" },
);

const kubernetesTargetSchema = z.strictObject(
  {
    namespace: dnsLabel("kubernetes.namespace", "shop").optional(),
    podSecurityLevel: enumValue(PodSecurityLevel, "kubernetes.podSecurityLevel").optional(),
    localhostSeccompProfiles: z
      .boolean({ error: "kubernetes.localhostSeccompProfiles must be true or false" })
      .optional(),
  },
  {
    error:
      'kubernetes must be an object of Kubernetes target settings, e.g. kubernetes: { namespace: "shop" }',
  },
);

/**
 * The one target the args name, defaulted; or the issues that keep it from being known. With
 * `required: false`, naming none is allowed and gives no target.
 */
export function resolveTarget(
  args: TargetArgs & { platform?: unknown },
  options: { required: boolean; component: string },
): { target?: Target; issues: ArgsIssue[] } {
  const issues: ArgsIssue[] = [];
  if (args.platform !== undefined) {
    issues.push({
      path: "platform",
      value: args.platform,
      message:
        'platform objects were replaced by plain args: write docker: {} (or docker: { bindAddress, networks }) or kubernetes: { namespace: "…" }, and pass a provider through the resource options',
    });
  }
  const given = (["docker", "kubernetes"] as const).filter((k) => args[k] !== undefined);
  if (given.length > 1) {
    issues.push({
      path: "kubernetes",
      value: args.kubernetes,
      message: "give exactly one of docker and kubernetes: a component lands on one platform",
    });
    return { issues };
  }
  if (given.length === 0) {
    if (options.required && args.platform === undefined)
      issues.push({
        path: "docker",
        value: undefined,
        message: `a ${options.component} needs a target: docker: {} for the local Docker engine, or kubernetes: { namespace: "…" }`,
      });
    return { issues };
  }
  const key = given[0] as "docker" | "kubernetes";
  const value = args[key];
  if (containsUnknown(value)) {
    issues.push({
      path: key,
      value,
      message: `${key} decides which resources are created, so it must be plain values known when the program runs (not Outputs or Promises)`,
    });
    return { issues };
  }
  if (key === "docker") {
    const parsed = dockerTargetSchema.safeParse(value);
    if (!parsed.success) return { issues: [...issues, ...prefixed("docker", parsed.error, value)] };
    const d = parsed.data;
    const target: DockerTarget = {
      kind: PlatformKind.Docker,
      bindAddress: d.bindAddress ?? "127.0.0.1",
      networks: [...(d.networks ?? [])],
    };
    if (d.appArmorProfile) target.appArmorProfile = d.appArmorProfile;
    return { target, issues };
  }
  const parsed = kubernetesTargetSchema.safeParse(value);
  if (!parsed.success) return { issues: [...issues, ...prefixed("kubernetes", parsed.error, value)] };
  const k = parsed.data;
  return {
    target: {
      kind: PlatformKind.Kubernetes,
      namespace: k.namespace ?? "default",
      podSecurityLevel: k.podSecurityLevel ?? PodSecurityLevel.Restricted,
      localhostSeccompProfiles: k.localhostSeccompProfiles ?? false,
    },
    issues,
  };
}

function prefixed(key: string, error: z.ZodError, value: unknown): ArgsIssue[] {
  return argsIssuesFromZod(error, value, key === "docker" ? "DockerTargetArgs" : "KubernetesTargetArgs").map(
    (i) => ({ ...i, path: i.path ? `${key}.${i.path}` : key }),
  );
}
