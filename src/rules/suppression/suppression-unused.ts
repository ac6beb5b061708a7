import { RESOURCE_KINDS } from "../../model/kinds";
import { defineRule, PlatformScope } from "../rule";
import { MIN_REASON_LENGTH } from "./suppression-reason-required";

export const suppressionUnused = defineRule({
  id: "suppression-unused",
  title: "Suppressions match a finding",
  severity: "low",
  rationale:
    "A suppression that matches nothing is stale or misspelt; left in place it will hide a future, unrelated finding.",
  remediation: "Remove the suppression, or correct the rule id it names.",
  references: {},
  targets: RESOURCE_KINDS,
  platforms: PlatformScope.Both,
  runsLast: true,
  check(resource, ctx) {
    return (
      resource.suppressions
        .filter((s) => s.reason.trim().length >= MIN_REASON_LENGTH && !ctx.usedSuppressions.has(s))
        // A known rule left out of this audit (profile, --skip-rule) could not have used it;
        // an id that is no rule at all is always reported.
        .filter(
          (s) =>
            s.ruleIds.length === 0 ||
            s.ruleIds.some((id) => ctx.activeRules.has(id) || !ctx.knownRules.has(id)),
        )
        .map((s) => ({
          path: s.path,
          message: `suppression of ${s.ruleIds.join(", ") || "(no rule id)"} matches no finding on this object`,
        }))
    );
  },
});
