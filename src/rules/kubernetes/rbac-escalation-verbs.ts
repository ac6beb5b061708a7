/**
 * Why: RBAC normally prevents granting permissions one does not hold. Three verbs switch that
 * protection off: `escalate` on roles (edit a role to hold more than you have), `bind` on
 * roles (bind any role, cluster-admin included) and `impersonate` on users, groups or
 * service accounts (act as them, `system:masters` included).
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { grants, type Permission, roleLabel } from "./rbac";

const RBAC_GROUP = "rbac.authorization.k8s.io";

/** Each escalation with the Checkov check of that verb alone. */
const ESCALATIONS: { permission: Permission; what: string; checkov: string }[] = [
  {
    permission: { apiGroups: [RBAC_GROUP], resources: ["roles", "clusterroles"], verbs: ["escalate"] },
    what: "escalate roles beyond its own permissions",
    checkov: "CKV_K8S_158",
  },
  {
    permission: { apiGroups: [RBAC_GROUP], resources: ["roles", "clusterroles"], verbs: ["bind"] },
    what: "bind any role, cluster-admin included",
    checkov: "CKV_K8S_157",
  },
  {
    permission: {
      apiGroups: ["", "authentication.k8s.io"],
      resources: ["users", "groups", "serviceaccounts", "uids", "userextras/*"],
      verbs: ["impersonate"],
    },
    what: "impersonate other users, groups or service accounts",
    checkov: "CKV2_K8S_3",
  },
];

export const rbacEscalationVerbs = defineRule({
  id: "rbac-escalation-verbs",
  title: "Roles do not grant bind, escalate or impersonate",
  severity: "high",
  rationale:
    "bind, escalate and impersonate bypass RBAC's rule that you cannot grant what you do not hold; any of them lets the subject become cluster-admin.",
  remediation:
    "Remove these verbs; if a controller must create bindings, restrict `bind` to the named roles it hands out with `resourceNames`.",
  references: {
    checkov: ["CKV_K8S_157", "CKV_K8S_158", "CKV2_K8S_3"],
  },
  differences: [
    {
      framework: "checkov",
      id: "CKV2_K8S_1",
      note: "reports the Role or ClusterRole that grants bind, escalate or impersonate, not the RoleBinding that hands it to a ServiceAccount or Node.",
    },
  ],
  targets: ["role"],
  platforms: PlatformScope.Kubernetes,
  check(role) {
    const out: Violation[] = [];
    role.rules.forEach((rule, i) => {
      const found = ESCALATIONS.filter((e) => grants(rule, e.permission));
      if (found.length === 0) return;
      out.push({
        path: `rules.${i}`,
        message: `${roleLabel(role)} rule ${i + 1} lets its subjects ${found.map((e) => e.what).join("; ")}; remove these verbs`,
        references: { checkov: found.map((e) => e.checkov) },
      });
    });
    return out;
  },
});
