/**
 * Reading RBAC policy rules. A rule grants a verb on a resource when both lists name it or
 * hold `*`; `pods/*` grants every subresource of pods. API groups are compared the same way
 * (`""` is the core group).
 */
import type { AccessRole, PolicyRule } from "../../model";

function listGrants(list: readonly string[], wanted: readonly string[]): boolean {
  return list.includes("*") || wanted.some((w) => list.includes(w));
}

function resourceGrants(list: readonly string[], wanted: readonly string[]): boolean {
  if (list.includes("*")) return true;
  return wanted.some((w) => {
    if (list.includes(w)) return true;
    const slash = w.indexOf("/");
    return slash > 0 && list.includes(`${w.slice(0, slash)}/*`);
  });
}

export interface Permission {
  apiGroups: readonly string[];
  resources: readonly string[];
  verbs: readonly string[];
}

/** True when the rule grants at least one of the verbs on one of the resources. */
export function grants(rule: PolicyRule, wanted: Permission): boolean {
  return (
    listGrants(rule.apiGroups, wanted.apiGroups) &&
    resourceGrants(rule.resources, wanted.resources) &&
    listGrants(rule.verbs, wanted.verbs)
  );
}

/** True when the rule is limited to named objects (`resourceNames`). */
export function isNameScoped(rule: PolicyRule): boolean {
  return (rule.resourceNames?.length ?? 0) > 0;
}

/** `ClusterRole "x"` / `Role "ns/x"` for messages. */
export function roleLabel(role: AccessRole): string {
  return role.clusterWide
    ? `ClusterRole "${role.name}"`
    : `Role "${role.namespace ?? "default"}/${role.name}"`;
}

/** Each rule of a role that grants the permission, with its model path. */
export function rulesGranting(
  role: AccessRole,
  wanted: Permission,
  options: { ignoreNameScoped?: boolean } = {},
): { rule: PolicyRule; path: string }[] {
  return role.rules.flatMap((rule, i) =>
    grants(rule, wanted) && !(options.ignoreNameScoped && isNameScoped(rule))
      ? [{ rule, path: `rules.${i}` }]
      : [],
  );
}

/** The verbs of `rule` among `wanted`, `*` included, for messages. */
export function matchedVerbs(rule: PolicyRule, wanted: readonly string[]): string {
  return rule.verbs.filter((v) => v === "*" || wanted.includes(v)).join(", ");
}
