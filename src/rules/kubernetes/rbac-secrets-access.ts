/**
 * Why: reading Secrets is reading every credential the namespace (or cluster) holds, service
 * account tokens of other workloads included — a direct path to privilege escalation. `list`
 * and `watch` return the values too, not only names. Rules limited to named Secrets
 * (`resourceNames`) are the accepted pattern for a controller that owns one Secret and are not
 * reported.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { matchedVerbs, roleLabel, rulesGranting } from "./rbac";

const READ = ["get", "list", "watch"];

export const rbacSecretsAccess = defineRule({
  id: "rbac-secrets-access",
  title: "Roles do not read all Secrets",
  severity: "medium",
  rationale:
    "get/list/watch on Secrets exposes every password, key and service account token stored in scope, which usually lets the holder act as other, more privileged identities.",
  remediation:
    "Mount the Secrets a workload needs instead of reading them through the API; if a controller must read one, restrict the rule with `resourceNames`.",
  references: {
    kubeLinter: ["access-to-secrets"],
    checkov: ["CKV2_K8S_5"],
  },
  targets: ["role"],
  platforms: PlatformScope.Kubernetes,
  check(role) {
    const out: Violation[] = [];
    for (const { rule, path } of rulesGranting(
      role,
      { apiGroups: [""], resources: ["secrets"], verbs: READ },
      { ignoreNameScoped: true },
    )) {
      out.push({
        path,
        message: `${roleLabel(role)} allows ${matchedVerbs(rule, READ)} on all Secrets${role.clusterWide ? " in every namespace it is bound for" : ""}; mount the needed Secrets or restrict the rule with resourceNames`,
      });
    }
    return out;
  },
});
