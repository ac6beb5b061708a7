import { globToRegExp } from "../../policy/glob";
import type { InventoryAttachment, InventoryImage, RepositoryInventory } from "./inventory";
import type { NormalizedRetentionPolicy } from "./policy";

export enum RetentionAction {
  Keep = "keep",
  Delete = "delete",
}

/** What happens to one manifest (an image, or a signature attached to one), and why. */
export interface RetentionDecision {
  repository: string;
  digest: string;
  /** Its tags (an attachment's single `sha256-….sig` tag). */
  tags: string[];
  created?: string;
  /** For an attachment: the image it belongs to. */
  subject?: string;
  action: RetentionAction;
  reasons: string[];
}

export interface RetentionPlan {
  decisions: RetentionDecision[];
  kept: number;
  deleted: number;
}

export interface PlanOptions {
  now: Date;
  /** Digests something still uses, each with who (a container, a stack resource): never deleted. */
  protectedDigests: ReadonlyMap<string, string>;
}

const matchesAny = (globs: readonly RegExp[], tags: readonly string[]) =>
  tags.some((t) => globs.some((g) => g.test(t)));

function ruleLabel(i: number, r: NormalizedRetentionPolicy["rules"][number]): string {
  const what =
    r.keepLast !== undefined
      ? `the newest ${r.keepLast}`
      : r.keepDays !== undefined
        ? `those under ${r.keepDays} days old`
        : "all";
  return `rule ${i + 1} keeps ${what} of tags ${r.tags.join(", ")}`;
}

/** Why each image of a repository is kept (no reasons: deleted). */
function keepReasons(
  repo: RepositoryInventory,
  policy: NormalizedRetentionPolicy,
  options: PlanOptions,
): Map<InventoryImage, string[]> {
  const reasons = new Map<InventoryImage, string[]>(repo.images.map((i) => [i, []]));
  const add = (image: InventoryImage, reason: string) => reasons.get(image)?.push(reason);
  const keepTags = policy.keepTags.map(globToRegExp);
  for (const image of repo.images) {
    const user = options.protectedDigests.get(image.digest);
    if (user) add(image, `in use: ${user}`);
    const kept = image.tags.filter((t) => keepTags.some((g) => g.test(t)));
    if (kept.length) add(image, `tag ${kept.join(", ")} is in keepTags`);
    if (image.tags.length === 0 && !policy.deleteUntagged) add(image, "untagged, and deleteUntagged is off");
    if (image.tags.length > 0 && !image.created)
      add(image, "its creation time is unknown, so no age or count rule can judge it");
  }
  policy.rules.forEach((rule, i) => {
    const globs = rule.tags.map(globToRegExp);
    const candidates = repo.images.filter((img) => img.created && matchesAny(globs, img.tags));
    let keep: InventoryImage[];
    if (rule.keepLast !== undefined) {
      keep = [...candidates]
        .sort(
          (a, b) =>
            Date.parse(b.created ?? "") - Date.parse(a.created ?? "") || a.digest.localeCompare(b.digest),
        )
        .slice(0, rule.keepLast);
    } else if (rule.keepDays !== undefined) {
      const cutoff = options.now.getTime() - rule.keepDays * 86_400_000;
      keep = candidates.filter((img) => Date.parse(img.created ?? "") >= cutoff);
    } else keep = candidates;
    for (const img of keep) add(img, ruleLabel(i, rule));
  });
  return reasons;
}

function attachmentDecision(
  repository: string,
  a: InventoryAttachment,
  subject: RetentionDecision | undefined,
  policy: NormalizedRetentionPolicy,
): RetentionDecision {
  const base = { repository, digest: a.digest, tags: [a.tag], subject: a.subject };
  if (subject?.action === RetentionAction.Keep) {
    return { ...base, action: RetentionAction.Keep, reasons: [`belongs to the kept image ${a.subject}`] };
  }
  if (subject)
    return {
      ...base,
      action: RetentionAction.Delete,
      reasons: [`belongs to the deleted image ${a.subject}`],
    };
  return policy.deleteUntagged
    ? {
        ...base,
        action: RetentionAction.Delete,
        reasons: [`its image ${a.subject} is gone (deleteUntagged)`],
      }
    : {
        ...base,
        action: RetentionAction.Keep,
        reasons: [`its image ${a.subject} is gone, and deleteUntagged is off`],
      };
}

/**
 * Decides, without touching the registry, what the policy keeps and deletes. Deleting a
 * manifest removes every tag that names it, so an image is kept when any of its tags is.
 */
export function planRetention(
  inventory: readonly RepositoryInventory[],
  policy: NormalizedRetentionPolicy,
  options: PlanOptions,
): RetentionPlan {
  const decisions: RetentionDecision[] = [];
  for (const repo of inventory) {
    const reasons = keepReasons(repo, policy, options);
    const byDigest = new Map<string, RetentionDecision>();
    for (const image of repo.images) {
      const why = reasons.get(image) ?? [];
      const d: RetentionDecision = {
        repository: repo.repository,
        digest: image.digest,
        tags: [...image.tags],
        ...(image.created ? { created: image.created } : {}),
        action: why.length ? RetentionAction.Keep : RetentionAction.Delete,
        reasons: why.length ? why : [image.tags.length ? "no rule keeps it" : "untagged (deleteUntagged)"],
      };
      byDigest.set(image.digest, d);
      decisions.push(d);
    }
    for (const a of repo.attachments)
      decisions.push(attachmentDecision(repo.repository, a, byDigest.get(a.subject), policy));
  }
  const deleted = decisions.filter((d) => d.action === RetentionAction.Delete).length;
  return { decisions, kept: decisions.length - deleted, deleted };
}
