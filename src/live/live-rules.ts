import { allRules } from "../rules/catalog";
import type { Rule } from "../rules/rule";

/**
 * CIS Docker Benchmark 1.6 section 4 checks that a container's inspect data can answer
 * (the image's user and health check show through the container's config); the rest of
 * section 4 needs the Dockerfile or the registry.
 */
export const LIVE_IMAGE_CHECKS: readonly string[] = ["4.1", "4.6"];

/**
 * Workload rules that answer an image check for a running container although they do not cite it:
 * 4.1 (a user for the container) is whether the container runs as a non-root user.
 */
export const LIVE_IMAGE_CHECK_RULES: Readonly<Record<string, readonly string[]>> = {
  "4.1": ["run-as-non-root"],
};

/** Rules that always run (suppressions written as container labels are checked too). */
const ALWAYS = new Set([
  "suppression-reason-required",
  "suppression-unused",
  ...Object.values(LIVE_IMAGE_CHECK_RULES).flat(),
]);

/** True when a CIS number is one the live audit can check: section 2, section 5, or a live image check. */
export function isLiveCisControl(cis: string): boolean {
  return cis.startsWith("2.") || cis.startsWith("5.") || LIVE_IMAGE_CHECKS.includes(cis);
}

/** The rules a live engine audit runs: those implementing a live-checkable CIS control. */
export function liveAuditRules(catalog: readonly Rule[] = allRules): Rule[] {
  return catalog.filter((r) => ALWAYS.has(r.id) || (r.references.cis ?? []).some(isLiveCisControl));
}
