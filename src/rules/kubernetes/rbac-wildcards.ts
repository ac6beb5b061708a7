/**
 * Why: `*` in a role grants not only everything that exists today but every resource, verb or
 * API group added later (CRDs, new subresources), so nobody reviewed what it really allows.
 * `*` on verbs and resources together is cluster-admin in all but name.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { roleLabel } from "./rbac";

const FIELDS = ["apiGroups", "resources", "verbs", "nonResourceURLs"] as const;

// `*`, or a form with a `*` part: `*/exec`, `pods/*`, `*/*`, and non-resource URLs such as
// `/api/*` (line comments: these forms would end a block comment).
function isWildcard(value: string): boolean {
  return value.startsWith("*/") || value.endsWith("*");
}

export const rbacWildcards = defineRule({
  id: "rbac-wildcards",
  title: "Roles do not use wildcards",
  severity: "medium",
  rationale:
    "A wildcard grants every current and future API group, resource or verb, including CRDs and subresources installed later, so the role's real power is unknown at review time.",
  remediation: "List the API groups, resources and verbs the subject needs explicitly.",
  references: {
    kubeLinter: ["wildcard-in-rules"],
    checkov: ["CKV_K8S_49"],
  },
  targets: ["role"],
  platforms: PlatformScope.Kubernetes,
  check(role) {
    const out: Violation[] = [];
    role.rules.forEach((rule, i) => {
      const wild = FIELDS.filter((f) => rule[f].some(isWildcard));
      if (wild.length === 0) return;
      out.push({
        path: `rules.${i}`,
        message: `${roleLabel(role)} rule ${i + 1} uses a wildcard in ${wild.join(", ")}; list what is needed explicitly`,
      });
    });
    return out;
  },
});
