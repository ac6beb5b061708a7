/**
 * Why: the service account token mounted into a pod is an API credential. Most applications
 * never call the Kubernetes API; for them the token is only useful to an intruder. A pod is
 * fine when it opts out itself, or when it leaves the field unset and its ServiceAccount (found
 * among the audited objects) opts out — the pod's own setting wins over the account's.
 */
import type { ServiceAccount, Workload } from "../../model";
import { defineRule, PlatformScope, type RuleContext, type Violation } from "../rule";
import { effectiveNamespace } from "./workload-scope";

/**
 * Names of the accounts that opt out, per namespace list: built once per list (the inventory
 * hands out the same list for a namespace), not searched once per pod.
 */
const optingOut = new WeakMap<readonly ServiceAccount[], Set<string>>();

function accountOptsOut(w: Workload, ctx: RuleContext): boolean {
  const accounts = ctx.inventory.inNamespace("serviceAccount", effectiveNamespace(w));
  let names = optingOut.get(accounts);
  if (!names) {
    names = new Set(accounts.filter((sa) => sa.automountServiceAccountToken === false).map((sa) => sa.name));
    optingOut.set(accounts, names);
  }
  return names.has(w.serviceAccountName || "default");
}

export const serviceAccountTokenAutomount = defineRule({
  id: "service-account-token-automount",
  title: "Pods do not mount a service account token they do not need",
  severity: "medium",
  rationale:
    "A mounted service account token lets anyone who compromises the container call the Kubernetes API with the account's permissions; most workloads never need it.",
  remediation:
    "Set `automountServiceAccountToken: false` in the pod spec (or on its ServiceAccount); workloads that call the API should mount a projected token with a short lifetime and a narrow audience.",
  references: {
    checkov: ["CKV_K8S_38"],
    polaris: ["automountServiceAccountToken"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Kubernetes,
  scope: "inventory",
  fixable: true,
  check(w, ctx) {
    if (w.automountServiceAccountToken === false) return [];
    if (w.automountServiceAccountToken === undefined && accountOptsOut(w, ctx)) return [];
    const out: Violation = {
      path: "automountServiceAccountToken",
      message:
        w.automountServiceAccountToken === true
          ? "the pod sets automountServiceAccountToken: true; set it to false unless the workload calls the Kubernetes API"
          : `the pod does not set automountServiceAccountToken and its ServiceAccount "${w.serviceAccountName || "default"}" does not opt out, so the API token is mounted; set automountServiceAccountToken: false`,
      fix: [{ op: "set", path: "automountServiceAccountToken", value: false }],
    };
    return [out];
  },
});
