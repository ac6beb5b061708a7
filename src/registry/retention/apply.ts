import type { RegistryClient } from "../client";
import { RegistryError } from "../errors";
import { RetentionAction, type RetentionDecision, type RetentionPlan } from "./plan";

export interface AppliedDeletion {
  decision: RetentionDecision;
  /** Undefined when it was deleted; the registry's answer otherwise. */
  error?: string;
}

/**
 * Deletes what the plan deletes, signatures before their images (so a failure never leaves a
 * kept signature's image gone). Deleting by digest removes the manifest and all its tags; the
 * blobs stay until the registry's garbage collection (`docker-registry garbage-collect`).
 */
export async function applyRetention(
  client: RegistryClient,
  plan: RetentionPlan,
): Promise<AppliedDeletion[]> {
  const deletes = plan.decisions.filter((d) => d.action === RetentionAction.Delete);
  const ordered = [...deletes.filter((d) => d.subject), ...deletes.filter((d) => !d.subject)];
  const out: AppliedDeletion[] = [];
  const done = new Set<string>();
  for (const decision of ordered) {
    const key = `${decision.repository}@${decision.digest}`;
    if (done.has(key)) continue;
    done.add(key);
    try {
      await client.deleteManifest(decision.repository, decision.digest);
      out.push({ decision });
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      const hint =
        error.status === 405
          ? " (deletion is disabled: set storage.delete.enabled in the registry's config)"
          : "";
      out.push({ decision, error: `${error.message}${hint}` });
    }
  }
  return out;
}
