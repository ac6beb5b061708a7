import type { Rule } from "../rules/rule";

/**
 * Named rule sets. `baseline` and `restricted` are the Pod Security Standards levels;
 * `cis-docker` is every rule that implements a CIS Docker Benchmark recommendation;
 * `default` is everything shipshape checks.
 */
export const PROFILES = ["default", "baseline", "restricted", "cis-docker"] as const;
export type ProfileId = (typeof PROFILES)[number];

/** Rules about suppressions themselves run in every profile. */
const ALWAYS = new Set(["suppression-reason-required", "suppression-unused"]);

export function inProfile(rule: Rule, profile: ProfileId): boolean {
  if (ALWAYS.has(rule.id)) return true;
  switch (profile) {
    case "default":
      return true;
    case "baseline":
      return rule.pssLevel === "baseline";
    case "restricted":
      return rule.pssLevel === "baseline" || rule.pssLevel === "restricted";
    case "cis-docker":
      return (rule.references.cis?.length ?? 0) > 0;
  }
}

export function isProfileId(value: string): value is ProfileId {
  return (PROFILES as readonly string[]).includes(value);
}
