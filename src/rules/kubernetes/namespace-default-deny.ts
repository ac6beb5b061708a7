/**
 * Why: per-pod isolation (`missing-network-policy`) checks the pods that exist today; a
 * namespace-wide default-deny policy (`podSelector: {}`, the direction in `policyTypes`, no
 * rules for it) also covers every pod created tomorrow, by anyone. A namespace among the
 * audited objects must deny both ingress and egress by default, in one policy or two.
 */
import type { NetworkPolicy } from "../../model";
import { defineRule, PlatformScope } from "../rule";

function selectsEveryPod(p: NetworkPolicy): boolean {
  return Object.keys(p.podSelector.matchLabels).length === 0 && p.podSelector.matchExpressions.length === 0;
}

function deniedByDefault(policies: readonly NetworkPolicy[]): { Ingress: boolean; Egress: boolean } {
  const denies = (direction: "Ingress" | "Egress") =>
    policies.some(
      (p) =>
        selectsEveryPod(p) &&
        p.policyTypes.includes(direction) &&
        (direction === "Ingress" ? p.ingressRules : p.egressRules) === 0,
    );
  return { Ingress: denies("Ingress"), Egress: denies("Egress") };
}

export const namespaceDefaultDeny = defineRule({
  id: "namespace-default-deny",
  title: "Namespaces deny traffic by default",
  severity: "medium",
  rationale:
    "Without a namespace-wide default-deny policy every new pod starts with unrestricted ingress and egress until someone writes a policy for it.",
  remediation:
    "Add a NetworkPolicy with `podSelector: {}`, `policyTypes: [Ingress, Egress]` and no rules to the namespace, then allow each workload's traffic explicitly (SecureService does this per pod).",
  references: {},
  targets: ["namespace"],
  platforms: PlatformScope.Kubernetes,
  scope: "inventory",
  check(ns, ctx) {
    const denied = deniedByDefault(ctx.inventory.inNamespace("networkPolicy", ns.name));
    const missing = (["Ingress", "Egress"] as const).filter((d) => !denied[d]);
    if (missing.length === 0) return [];
    return [
      {
        path: "name",
        message: `namespace "${ns.name}" has no default-deny NetworkPolicy for ${missing.map((d) => d.toLowerCase()).join(" and ")}; add one with podSelector {} and no rules`,
      },
    ];
  },
});
