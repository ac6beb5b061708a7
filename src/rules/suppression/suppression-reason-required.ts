import { RESOURCE_KINDS } from "../../model/kinds";
import { defineRule, PlatformScope } from "../rule";

export const MIN_REASON_LENGTH = 10;

export const suppressionReasonRequired = defineRule({
  id: "suppression-reason-required",
  title: "Suppressions say why",
  severity: "medium",
  rationale: "A suppression without a reason cannot be reviewed; it silently turns a control off for good.",
  remediation: `Give every suppression a reason of at least ${MIN_REASON_LENGTH} characters, e.g. \`shipshape.io/suppress.<rule-id>: "needs CAP_NET_ADMIN to manage routes"\`.`,
  references: {},
  targets: RESOURCE_KINDS,
  platforms: PlatformScope.Both,
  check(resource) {
    return resource.suppressions
      .filter((s) => s.reason.trim().length < MIN_REASON_LENGTH)
      .map((s) => ({
        path: s.path,
        message: `suppression of ${s.ruleIds.join(", ")} has ${
          s.reason.trim() === ""
            ? "no reason"
            : `a reason shorter than ${MIN_REASON_LENGTH} characters ("${s.reason.trim()}")`
        }; it is ignored until it says why`,
      }));
  },
});
