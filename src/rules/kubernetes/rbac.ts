// Reading RBAC policy rules. A rule grants a verb on a resource when both lists name it or
// hold `*`. Resources come in the API server's forms: `*` (everything, subresources included),
// `pods`, `pods/exec`, and `*/exec` (that subresource of every resource). Two more forms are read
// as the wildcards they look like, although the API server's matcher does not expand them:
// `pods/*` (every subresource of pods) and `*/*` (every subresource of everything) — a role
// that writes them means to grant that, and reporting them errs on the side of caution.
// API groups are compared like verbs (`""` is the core group). (Line comments: the forms
// above would end a block comment.)
import type { AccessRole, PolicyRule } from "../../model";

function listGrants(list: readonly string[], wanted: readonly string[]): boolean {
  return list.includes("*") || wanted.some((w) => list.includes(w));
}

/** True when the rule's resource entry `granted` covers the resource `wanted` (`pods/exec`). */
export function resourceCovers(granted: string, wanted: string): boolean {
  if (granted === "*" || granted === wanted) return true;
  const slash = wanted.indexOf("/");
  if (slash < 0) return false;
  const resource = wanted.slice(0, slash);
  const subresource = wanted.slice(slash + 1);
  return granted === `*/${subresource}` || granted === `${resource}/*` || granted === "*/*";
}

function resourceGrants(list: readonly string[], wanted: readonly string[]): boolean {
  return wanted.some((w) => list.some((granted) => resourceCovers(granted, w)));
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
