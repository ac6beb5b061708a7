/**
 * Why: every pod that names no service account runs as its namespace's `default` account, so
 * any permission granted to `default` is silently shared by all of them, and its token is
 * mounted everywhere. Three shapes of the same problem are reported: a pod running as
 * `default`, a `default` ServiceAccount that still automounts its token, and a binding that
 * grants a role to `default`.
 */
import type { AccessBinding, ServiceAccount, Workload } from "../../model";
import { defineRule, PlatformScope, type Violation } from "../rule";

function forWorkload(w: Workload): Violation[] {
  const name = w.serviceAccountName;
  if (name !== undefined && name !== "" && name !== "default") return [];
  return [
    {
      path: "serviceAccountName",
      message:
        name === "default"
          ? 'the pod runs as the "default" service account; create a dedicated ServiceAccount and set serviceAccountName'
          : 'the pod names no serviceAccountName, so it runs as the "default" service account; create a dedicated ServiceAccount and set serviceAccountName',
      references: { checkov: [] },
    },
  ];
}

function forServiceAccount(sa: ServiceAccount): Violation[] {
  if (sa.name !== "default" || sa.automountServiceAccountToken === false) return [];
  return [
    {
      path: "automountServiceAccountToken",
      message:
        'the "default" ServiceAccount lets its token be mounted into every pod that uses it; set automountServiceAccountToken: false',
      fix: [{ op: "set", path: "automountServiceAccountToken", value: false }],
      references: { checkov: ["CKV_K8S_41"], kubeLinter: [] },
    },
  ];
}

function forBinding(b: AccessBinding): Violation[] {
  return b.subjects.flatMap((s, i) =>
    s.kind === "ServiceAccount" && s.name === "default"
      ? [
          {
            path: `subjects.${i}`,
            message: `binding grants ${b.roleRef.kind} "${b.roleRef.name}" to the "default" service account${s.namespace ? ` of namespace "${s.namespace}"` : ""}, so every pod of that namespace gets it; bind a dedicated ServiceAccount instead`,
            references: { checkov: ["CKV_K8S_42"], kubeLinter: [] },
          },
        ]
      : [],
  );
}

export const defaultServiceAccount = defineRule({
  id: "default-service-account",
  title: "Workloads do not use, and roles are not bound to, the default service account",
  severity: "low",
  rationale:
    "The `default` service account is shared by every pod of a namespace that names no other; permissions granted to it, and its mounted token, reach all of them.",
  remediation:
    "Give each workload its own ServiceAccount (serviceAccountName), bind roles to that account only, and set `automountServiceAccountToken: false` on the `default` ServiceAccount.",
  references: {
    kubeLinter: ["default-service-account"],
    checkov: ["CKV_K8S_41", "CKV_K8S_42"],
  },
  targets: ["workload", "serviceAccount", "binding"],
  platforms: PlatformScope.Kubernetes,
  fixable: true,
  check(resource) {
    switch (resource.kind) {
      case "workload":
        return forWorkload(resource);
      case "serviceAccount":
        return forServiceAccount(resource);
      case "binding":
        return forBinding(resource);
    }
  },
});
