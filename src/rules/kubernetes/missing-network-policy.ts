/**
 * Why: Kubernetes lets every pod talk to every other pod (and anywhere outside) until a
 * NetworkPolicy selects it. A pod counts as isolated in a direction when some NetworkPolicy of
 * its namespace, among the audited objects, selects its template labels and lists that
 * direction in `policyTypes`; the usual way is a namespace-wide default-deny (`podSelector: {}`)
 * plus narrow allows. Both ingress and egress are required: egress isolation is what stops a
 * compromised pod from reaching the API server, metadata endpoints or the internet.
 * Pods on the host network are skipped — policies do not apply to them (`host-namespaces`
 * reports them).
 */
import type { NetworkPolicy, Workload } from "../../model";
import { defineRule, PlatformScope } from "../rule";
import { policiesSelecting } from "./network-policy-index";
import { effectiveNamespace } from "./workload-scope";

/** `policies` are those of the workload's namespace. */
function isolatedDirections(w: Workload, policies: readonly NetworkPolicy[]): Set<string> {
  const out = new Set<string>();
  for (const p of policiesSelecting(policies, w.podLabels)) {
    for (const t of p.policyTypes) out.add(t);
  }
  return out;
}

export const missingNetworkPolicy = defineRule({
  id: "missing-network-policy",
  title: "Pods are isolated by a NetworkPolicy for ingress and egress",
  severity: "medium",
  rationale:
    "Without a NetworkPolicy a pod accepts connections from every pod in the cluster and may connect anywhere; one compromised workload can then reach databases, internal APIs and cloud metadata endpoints.",
  remediation:
    "Add a default-deny NetworkPolicy to the namespace (`podSelector: {}`, `policyTypes: [Ingress, Egress]`, no rules) and one policy per workload allowing only the traffic it needs (SecureService writes one per service from its ingressFrom and egressTo).",
  references: {
    kubeLinter: ["non-isolated-pod"],
    checkov: ["CKV2_K8S_6"],
    polaris: ["missingNetworkPolicy"],
  },
  differences: [
    {
      framework: "kubeLinter",
      id: "non-isolated-pod",
      note: "also requires egress isolation: a pod whose policies list only Ingress is reported, because egress isolation is what keeps a compromised pod from the API server, metadata endpoints and the internet.",
    },
    {
      framework: "polaris",
      id: "missingNetworkPolicy",
      note: "also requires egress isolation (policyTypes must cover Egress too), and only NetworkPolicies among the audited objects count.",
    },
    {
      framework: "checkov",
      id: "CKV2_K8S_6",
      note: "also requires egress isolation; pods on the host network are not reported, since policies do not apply to them.",
    },
  ],
  targets: ["workload"],
  platforms: PlatformScope.Kubernetes,
  scope: "inventory",
  check(w, ctx) {
    if (w.hostNetwork === true) return [];
    const isolated = isolatedDirections(w, ctx.inventory.inNamespace("networkPolicy", effectiveNamespace(w)));
    const missing = ["Ingress", "Egress"].filter((d) => !isolated.has(d));
    if (missing.length === 0) return [];
    const ns = effectiveNamespace(w);
    const what = missing.map((d) => d.toLowerCase()).join(" and ");
    return [
      {
        path: "podLabels",
        message:
          isolated.size === 0
            ? `no NetworkPolicy in namespace "${ns}" selects this pod, so its ${what} traffic is unrestricted; add a default-deny policy and allow only the traffic it needs`
            : `no NetworkPolicy in namespace "${ns}" isolates this pod for ${what}; add ${missing.join("/")} to a selecting policy's policyTypes (a default-deny policy covers every pod)`,
      },
    ];
  },
});
