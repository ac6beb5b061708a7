import { z } from "zod";

/**
 * One keep rule, in the style of Harbor's tag retention and ECR lifecycle policies: among the
 * images (manifests) of a repository with a tag matching `tags`, keep the newest `keepLast`, or
 * those built within `keepDays`, or, with neither, all of them.
 */
export interface RetentionRule {
  /** Tag globs (`*` = any run of characters) the rule looks at. @default ["*"] */
  tags?: string[];
  /** Keep the newest N images whose tags match (by the image config's `created` time). */
  keepLast?: number;
  /** Keep images created less than N days ago. */
  keepDays?: number;
}

/**
 * What to keep in a registry. An image is deleted only when it is in a repository the policy
 * covers, no rule keeps it, none of its tags is in `keepTags`, and nothing protects its digest.
 */
export interface RetentionPolicy {
  /** Repository globs the policy covers; images elsewhere are never touched. @default ["*"] */
  repositories?: string[];
  /** Keep rules; an image any rule keeps is kept. */
  rules: RetentionRule[];
  /** Tags always kept, in every covered repository (the seed's `--keep-tags`). @default [] */
  keepTags?: string[];
  /**
   * Also delete untagged manifests (left behind when a tag moved). The distribution API does not
   * list them, so this needs the registry's storage directory. @default false
   */
  deleteUntagged?: boolean;
}

const glob = z.string().min(1).max(256);

export const RETENTION_POLICY_SCHEMA = z
  .object({
    repositories: z.array(glob).min(1).default(["*"]),
    rules: z
      .array(
        z
          .object({
            tags: z.array(glob).min(1).default(["*"]),
            keepLast: z.number().int().min(1).max(100_000).optional(),
            keepDays: z.number().min(0).max(36_500).optional(),
          })
          .strict()
          .refine((r) => r.keepLast === undefined || r.keepDays === undefined, {
            message: "a rule keeps by count (keepLast) or by age (keepDays), not both: write two rules",
          }),
      )
      .min(1, "give at least one rule: with none, every image of the covered repositories would go"),
    keepTags: z.array(glob).default([]),
    deleteUntagged: z.boolean().default(false),
  })
  .strict();

export type NormalizedRetentionPolicy = z.output<typeof RETENTION_POLICY_SCHEMA>;

/** Validates a policy (from a file or flags); the error names each bad field's path. */
export function parseRetentionPolicy(
  value: unknown,
  source = "the retention policy",
): NormalizedRetentionPolicy {
  const result = RETENTION_POLICY_SCHEMA.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map(
    (i) => `${i.path.length ? i.path.join(".") : "(top level)"}: ${i.message}`,
  );
  throw new Error(`${source} is not valid:\n  ${issues.join("\n  ")}`);
}
