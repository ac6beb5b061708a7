/**
 * Why: `cluster-admin` is unrestricted superuser. Binding it (even through a RoleBinding,
 * which still grants full control of the namespace, Secrets and RBAC included) gives every
 * subject of the binding the keys to everything it reaches.
 */
import { defineRule } from "../rule";

export const clusterAdminBinding = defineRule({
  id: "cluster-admin-binding",
  title: "Do not bind the cluster-admin role",
  severity: "high",
  rationale:
    "cluster-admin allows every action on every resource; a compromised subject of the binding (often a service account token in a pod) owns the cluster, or the whole namespace for a RoleBinding.",
  remediation:
    "Create a Role/ClusterRole with only the resources and verbs the subject needs and bind that instead.",
  references: {
    kubeLinter: ["cluster-admin-role-binding"],
    polaris: [
      "clusterrolebindingClusterAdmin",
      "rolebindingClusterAdminClusterRole",
      "rolebindingClusterAdminRole",
    ],
  },
  targets: ["binding"],
  check(b) {
    if (b.roleRef.name !== "cluster-admin") return [];
    const who = b.subjects.map((s) => `${s.kind} "${s.name}"`).join(", ") || "no subjects";
    const scope = b.clusterWide ? "the whole cluster" : `namespace "${b.namespace ?? "default"}"`;
    return [
      {
        path: "roleRef.name",
        message: `binding grants cluster-admin over ${scope} to ${who}; bind a role limited to what they need`,
      },
    ];
  },
});
