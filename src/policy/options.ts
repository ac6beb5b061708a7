import { z } from "zod";
import { PROFILES } from "../engine/profiles";
import { PSS_VERSION_NAMES, parsePssVersion } from "../rules/pss/versions";
import { SEVERITIES } from "../rules/rule";
import { ENFORCEMENT_LEVELS } from "./enforcement";
import { globToRegExp } from "./glob";

/**
 * The resource types of the supply-chain components (SignedImage, ImageScan, ImageSignature), and
 * SignedImage's verification step itself, which names the verified image even where the parent
 * chain is not known (offline checks); a stack names its own in imageEvidenceTypes.
 */
export const DEFAULT_IMAGE_EVIDENCE_TYPES = [
  "shipshape:index:SignedImage",
  "shipshape:index:ImageScan",
  "shipshape:index:ImageSignature",
  "pulumi-nodejs:dynamic/shipshape:SignedImageVerification",
] as const;

const exemption = z.object({
  /** Rule id the exemption is for; omit for every rule. */
  rule: z.string().min(1).optional(),
  /** Resource name, URN, or a glob of either (`*` matches any run of characters). */
  resource: z.string().min(1),
  reason: z.string().trim().min(10, "an exemption needs a reason of at least 10 characters"),
});

/** Pack-wide settings of the shipshape policy pack (`shipshape.policy.json` next to the pack). */
export const policyPackOptionsSchema = z
  .object({
    /** Rule set to enforce. @default "default" */
    profile: z.enum(PROFILES).default("default"),
    /**
     * Pod Security Standards version to enforce (`v1.25` … the newest, or `latest`), as a
     * namespace's `pod-security.kubernetes.io/enforce-version` names it. @default "latest"
     */
    pssVersion: z
      .string()
      .default("latest")
      .refine((v) => parsePssVersion(v) !== undefined, {
        message: `must be one of ${PSS_VERSION_NAMES.join(", ")}`,
      })
      .transform((v) => parsePssVersion(v) as NonNullable<ReturnType<typeof parsePssVersion>>),
    /**
     * Rule parameter values by rule id, e.g. `{"restart-policy": {"maxRetries": 3}}`; each rule's
     * parameters are listed in RULES.md. @default {}
     */
    parameters: z
      .record(z.string(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])))
      .default({}),
    /** Rules below this severity are disabled. @default "info" */
    minSeverity: z.enum(SEVERITIES).default("info"),
    /** Enforcement level per rule id, overriding the level derived from severity. @default {} */
    levels: z.record(z.string(), z.enum(ENFORCEMENT_LEVELS)).default({}),
    /** Registries images may come from; empty allows any. @default [] */
    allowedRegistries: z.array(z.string().min(1)).default([]),
    /**
     * Resource types that are evidence an image was scanned or signed: a resource of one of these
     * types (or a child of one) that a container's image depends on or that names the image.
     * Replaces the default list, so name the shipshape types too when the stack uses them.
     * @default ["shipshape:index:SignedImage", "shipshape:index:ImageScan", "shipshape:index:ImageSignature"]
     */
    imageEvidenceTypes: z.array(z.string().min(1)).default([...DEFAULT_IMAGE_EVIDENCE_TYPES]),
    /**
     * Globs of image references an external pipeline scans and signs before they can exist
     * (e.g. `registry.example.com/shop/*` when CI scans, signs, then pushes); `*` matches any
     * run of characters. @default []
     */
    verifiedImages: z.array(z.string().min(1)).default([]),
    /** Resources a rule does not apply to, each with a reason. @default [] */
    exemptions: z.array(exemption).default([]),
  })
  .strict();

export type PolicyPackOptions = z.output<typeof policyPackOptionsSchema>;
export type PolicyPackOptionsInput = z.input<typeof policyPackOptionsSchema>;
export type Exemption = z.output<typeof exemption>;

/** Validates options, with errors that name the field, the bad value and what is allowed. */
export function parsePolicyPackOptions(input: unknown, source = "policy pack options"): PolicyPackOptions {
  const result = policyPackOptionsSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.join(".") || "(root)";
    let value: unknown = input;
    for (const seg of issue.path)
      value = (value as Record<PropertyKey, unknown> | undefined)?.[seg as PropertyKey];
    return `  ${path}: ${issue.message} (got ${JSON.stringify(value)})`;
  });
  throw new Error(`invalid ${source}:\n${lines.join("\n")}`);
}

/** The exemption that applies to a resource for a rule, if any. */
export function findExemption(
  exemptions: readonly Exemption[],
  ruleId: string,
  resource: { name: string; urn: string },
): Exemption | undefined {
  return exemptions.find((e) => {
    if (e.rule !== undefined && e.rule !== ruleId) return false;
    const re = globToRegExp(e.resource);
    return re.test(resource.name) || re.test(resource.urn);
  });
}
