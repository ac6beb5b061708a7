/**
 * Why: a mutating admission webhook sees, and can rewrite, every object sent to the API
 * server, Secrets included; a validating one can block or observe them. Whoever can create or
 * change webhook configurations can inject containers into every new pod or disable policy.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { matchedVerbs, roleLabel, rulesGranting } from "./rbac";

const WRITE = ["create", "update", "patch", "delete", "deletecollection"];

export const rbacAdmissionWebhooks = defineRule({
  id: "rbac-admission-webhooks",
  title: "Roles do not control admission webhook configurations",
  severity: "high",
  rationale:
    "Control over mutating or validating webhook configurations lets the holder intercept and rewrite every API request (injecting containers, reading Secrets) or switch off admission policy.",
  remediation:
    "Remove write access to mutating/validatingwebhookconfigurations; a controller that manages its own webhook should be limited to it with `resourceNames`.",
  references: {
    checkov: ["CKV_K8S_155"],
  },
  targets: ["role"],
  platforms: PlatformScope.Kubernetes,
  check(role) {
    const out: Violation[] = [];
    for (const { rule, path } of rulesGranting(
      role,
      {
        apiGroups: ["admissionregistration.k8s.io"],
        resources: ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"],
        verbs: WRITE,
      },
      { ignoreNameScoped: true },
    )) {
      out.push({
        path,
        message: `${roleLabel(role)} allows ${matchedVerbs(rule, WRITE)} on admission webhook configurations; remove it or restrict it with resourceNames`,
      });
    }
    return out;
  },
});
