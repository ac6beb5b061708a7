/**
 * Why: namespaces are the boundary RBAC, NetworkPolicies, quotas and Pod Security admission
 * labels attach to. Objects left in `default` share one undivided space with everything else
 * dumped there. An object that names no namespace lands in whatever namespace it is applied
 * to, which is `default` unless the operator remembers `-n`, so it is reported too.
 */
import type { Resource } from "../../model";
import { defineRule, PlatformScope } from "../rule";

function isNamespaced(r: Resource): boolean {
  switch (r.kind) {
    case "workload":
      return true;
    case "role":
    case "binding":
      return !r.clusterWide;
    case "service":
    case "networkPolicy":
    case "serviceAccount":
    case "secret":
      return true;
    default:
      return false;
  }
}

export const defaultNamespace = defineRule({
  id: "default-namespace",
  title: "Objects live in a dedicated namespace, not `default`",
  severity: "low",
  rationale:
    "The default namespace mixes unrelated workloads under the same RBAC, network policies and Pod Security level, so one team's permissions and exceptions apply to all of them.",
  remediation: "Set `metadata.namespace` to a namespace created for the application.",
  references: {
    kubeLinter: ["use-namespace"],
    checkov: ["CKV_K8S_21"],
  },
  targets: ["workload", "service", "networkPolicy", "serviceAccount", "role", "binding", "secret"],
  platforms: PlatformScope.Kubernetes,
  check(r) {
    if (!isNamespaced(r)) return [];
    if (r.namespace !== undefined && r.namespace !== "default") return [];
    return [
      {
        path: "namespace",
        message:
          r.namespace === "default"
            ? 'the object is placed in the "default" namespace; use a dedicated namespace'
            : 'the object names no namespace, so it lands in "default" unless applied with -n; set metadata.namespace',
      },
    ];
  },
});
