/**
 * Why: `cluster-admin` is unrestricted superuser. Binding it (even through a RoleBinding,
 * which still grants full control of the namespace, Secrets and RBAC included) gives every
 * subject of the binding the keys to everything it reaches. A role audited alongside that
 * grants every verb on every resource of every API group has the same powers under another
 * name, so a binding to it is reported too (peers look at the name only).
 */
import type { AccessBinding, AccessRole, Inventory } from "../../model";
import { defineRule, PlatformScope } from "../rule";

/** `ClusterRole name` or `Role namespace/name`: how a binding's roleRef finds its role. */
function roleKey(clusterWide: boolean, namespace: string | undefined, name: string): string {
  return clusterWide ? `ClusterRole ${name}` : `Role ${namespace ?? "default"}/${name}`;
}

/** The audited roles by key, indexed once per audit so that bindings stay linear. */
const ROLE_INDEX = new WeakMap<Inventory, Map<string, AccessRole>>();

/** The role a binding refers to, among the audited objects. */
function boundRole(b: AccessBinding, inventory: Inventory): AccessRole | undefined {
  let index = ROLE_INDEX.get(inventory);
  if (!index) {
    index = new Map();
    for (const r of inventory.of("role")) {
      const key = roleKey(r.clusterWide, r.namespace, r.name);
      if (!index.has(key)) index.set(key, r);
    }
    ROLE_INDEX.set(inventory, index);
  }
  return index.get(roleKey(b.roleRef.kind === "ClusterRole", b.namespace, b.roleRef.name));
}

/** True when one rule of the role grants every verb on every resource in every API group. */
function grantsEverything(role: AccessRole): boolean {
  return role.rules.some(
    (rule) =>
      rule.apiGroups.includes("*") &&
      rule.resources.includes("*") &&
      rule.verbs.includes("*") &&
      (rule.resourceNames?.length ?? 0) === 0,
  );
}

export const clusterAdminBinding = defineRule({
  id: "cluster-admin-binding",
  title: "Bindings do not grant cluster-admin or a role with the same powers",
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
  differences: [
    {
      framework: "kubeLinter",
      id: "cluster-admin-role-binding",
      note: "also reports bindings to an audited role with the same powers under another name (every verb on every resource in every API group), not only the name cluster-admin.",
    },
    {
      framework: "polaris",
      id: "clusterrolebindingClusterAdmin",
      note: "also reports ClusterRoleBindings to an audited ClusterRole with cluster-admin's powers under another name.",
    },
  ],
  targets: ["binding"],
  platforms: PlatformScope.Kubernetes,
  scope: "inventory",
  check(b, ctx) {
    const byName = b.roleRef.name === "cluster-admin";
    const role = byName ? undefined : boundRole(b, ctx.inventory);
    if (!byName && !(role && grantsEverything(role))) return [];
    const who = b.subjects.map((s) => `${s.kind} "${s.name}"`).join(", ") || "no subjects";
    const scope = b.clusterWide ? "the whole cluster" : `namespace "${b.namespace ?? "default"}"`;
    const what = byName
      ? "cluster-admin"
      : `${b.roleRef.kind} "${b.roleRef.name}", which allows every verb on every resource like cluster-admin,`;
    // Polaris has one check per binding and role kind; peers match the name only.
    const polaris = !byName
      ? []
      : b.clusterWide
        ? ["clusterrolebindingClusterAdmin"]
        : b.roleRef.kind === "Role"
          ? ["rolebindingClusterAdminRole"]
          : ["rolebindingClusterAdminClusterRole"];
    return [
      {
        path: "roleRef.name",
        message: `binding grants ${what} over ${scope} to ${who}; bind a role limited to what they need`,
        references: { polaris, kubeLinter: byName ? ["cluster-admin-role-binding"] : [] },
      },
    ];
  },
});
