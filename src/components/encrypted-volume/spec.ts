/** Validation of EncryptedVolume's args into its spec: every problem named before anything is registered. */
import { isAbsolute, normalize } from "node:path";
import { z } from "zod";
import { PlatformKind } from "../../platform/platform";
import { resolveTarget, type Target } from "../target";
import { enumValue, labelMap, memoryQuantity, text, wholeNumber } from "../validation/fields";
import {
  type ArgsIssue,
  ComponentArgsError,
  containsUnknown,
  resourceNameIssues,
} from "../validation/issues";
import { memoryBytes } from "../validation/quantities";
import { argsIssuesFromZod } from "../validation/zod-issues";
import { type EncryptedVolumeArgs, VolumeKind } from "./args";

/** Invalid EncryptedVolume args (see ComponentArgsError). */
export class EncryptedVolumeArgsError extends ComponentArgsError {
  constructor(name: string, issues: ArgsIssue[]) {
    super("EncryptedVolume", name, issues);
    this.name = "EncryptedVolumeArgsError";
  }
}

export interface VolumeSpec {
  name: string;
  target: Target;
  kind: VolumeKind;
  size: string;
  sizeBytes: number;
  uid: number;
  gid: number;
  storeDirectory: string;
  userNamespaceRemap?: string;
  storageClass?: string;
  backupOnDestroy?: { directory: string; recipients: string[]; keep?: number };
  labels: Record<string, string>;
}

const OWNER = /^(\d+):(\d+)$/;
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

const hostDirectory = (what: string) =>
  text(what).refine((p) => isAbsolute(p) && normalize(p) === p && p !== "/" && !/[\s,:=]/.test(p), {
    error: `${what} must be a normalized absolute host directory other than "/" without spaces, commas, colons or "=", e.g. "/var/lib/shipshape/volumes"`,
  });

const schema = z.strictObject({
  docker: z.any().optional(),
  kubernetes: z.any().optional(),
  kind: enumValue(VolumeKind, "kind"),
  size: memoryQuantity("size").optional(),
  owner: z
    .string({ error: 'owner must be a string "uid:gid", e.g. "10001:10001"' })
    .refine(
      (o) =>
        OWNER.test(o) &&
        !/^0:|:0$/.test(o) &&
        Number(o.split(":")[0]) < 2 ** 31 &&
        Number(o.split(":")[1]) < 2 ** 31,
      {
        error: 'owner must be a numeric, non-root "uid:gid", e.g. "10001:10001" (the service\'s user)',
      },
    )
    .optional(),
  key: z.any().optional(),
  storeDirectory: hostDirectory("storeDirectory").optional(),
  userNamespaceRemap: z
    .string({ error: "userNamespaceRemap must be a user name" })
    .regex(USER_NAME, { error: 'userNamespaceRemap must be a user name such as "dockremap"' })
    .optional(),
  storageClass: z
    .string({ error: "storageClass must be a string" })
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, {
      error:
        'storageClass must be a storage class name (lowercase letters, digits, "-" and "."), e.g. "encrypted-ssd"',
    })
    .optional(),
  backupOnDestroy: z
    .strictObject({
      directory: hostDirectory("backupOnDestroy.directory"),
      recipients: z
        .array(
          z
            .string({ error: "backupOnDestroy.recipients items must be strings" })
            .regex(/^age1[0-9a-z]{20,}$/, {
              error:
                'backupOnDestroy.recipients items are age recipients starting with "age1" (age-keygen -y prints one)',
            }),
        )
        .min(1, { error: "backupOnDestroy.recipients needs at least one age recipient" }),
      keep: wholeNumber("backupOnDestroy.keep", 1, 10000).optional(),
    })
    .optional(),
  labels: labelMap("labels").optional(),
});

const PLAIN = [
  "kind",
  "size",
  "owner",
  "storeDirectory",
  "userNamespaceRemap",
  "storageClass",
  "backupOnDestroy",
  "labels",
] as const;

export function buildVolumeSpec(name: string, args: EncryptedVolumeArgs): VolumeSpec {
  const issues: ArgsIssue[] = resourceNameIssues(name, "the Docker volume or claim name");
  if (args === null || typeof args !== "object")
    throw new EncryptedVolumeArgsError(String(name), [
      ...issues,
      { path: "", value: args, message: "args must be an object with docker or kubernetes and kind" },
    ]);
  const resolved = resolveTarget(args, { required: true, component: "EncryptedVolume" });
  issues.push(...resolved.issues);
  for (const field of PLAIN)
    if (containsUnknown(args[field]))
      issues.push({
        path: field,
        value: args[field],
        message: `${field} decides which resources are created, so it must be a plain value known when the program runs (not an Output or Promise)`,
      });
  if (issues.length > 0) throw invalid(name, issues);
  const parsed = schema.safeParse(args);
  if (!parsed.success) issues.push(...argsIssuesFromZod(parsed.error, args, "EncryptedVolumeArgs"));
  const target = resolved.target;
  if (!parsed.success || !target) throw invalid(name, issues);
  const a = parsed.data;
  const onDocker = target.kind === PlatformKind.Docker;
  const encrypted = a.kind === VolumeKind.Encrypted;
  const onlyFor = (field: keyof EncryptedVolumeArgs, ok: boolean, what: string) => {
    if (args[field] !== undefined && !ok)
      issues.push({
        path: field,
        value: field === "key" ? undefined : args[field],
        message: `${field} applies to ${what} only; remove it`,
      });
  };
  onlyFor("key", onDocker && encrypted, "Docker encrypted volumes");
  onlyFor("storeDirectory", onDocker && encrypted, "Docker encrypted volumes");
  onlyFor("userNamespaceRemap", onDocker && encrypted, "Docker encrypted volumes");
  onlyFor("backupOnDestroy", onDocker && encrypted, "Docker encrypted volumes");
  onlyFor("storageClass", !onDocker && encrypted, "Kubernetes encrypted volumes");
  if (!onDocker && encrypted && a.storageClass === undefined)
    issues.push({
      path: "storageClass",
      value: undefined,
      message:
        'a Kubernetes encrypted volume needs the storage class that encrypts it at rest, e.g. storageClass: "encrypted-ssd"',
    });
  if (typeof args.key === "string" && args.key.length < 16)
    issues.push({
      path: "key",
      value: args.key,
      sensitive: true,
      message: "the volume key must be at least 16 characters; or leave it out to generate one",
    });
  if (issues.length > 0) throw invalid(name, issues);
  const [uid, gid] = (a.owner ?? "10001:10001").split(":").map(Number) as [number, number];
  const size = a.size ?? "64Mi";
  const spec: VolumeSpec = {
    name,
    target,
    kind: a.kind,
    size,
    sizeBytes: memoryBytes(size),
    uid,
    gid,
    storeDirectory: a.storeDirectory ?? "/var/lib/shipshape/volumes",
    labels: { ...(a.labels ?? {}) },
  };
  if (a.userNamespaceRemap) spec.userNamespaceRemap = a.userNamespaceRemap;
  if (a.storageClass) spec.storageClass = a.storageClass;
  if (a.backupOnDestroy) {
    spec.backupOnDestroy = {
      directory: a.backupOnDestroy.directory,
      recipients: [...a.backupOnDestroy.recipients],
    };
    if (a.backupOnDestroy.keep !== undefined) spec.backupOnDestroy.keep = a.backupOnDestroy.keep;
  }
  return spec;
}

function invalid(name: string, issues: ArgsIssue[]): EncryptedVolumeArgsError {
  return new EncryptedVolumeArgsError(
    String(name),
    issues.map((i) => (i.path === "key" ? { ...i, sensitive: true } : i)),
  );
}
