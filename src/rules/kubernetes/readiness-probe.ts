/**
 * Why: without a readiness probe a pod receives traffic as soon as its process starts, before
 * it can serve, and keeps receiving it while overloaded. Availability, hence low severity.
 */
import { defineRule, PlatformScope } from "../rule";
import { missingProbe } from "./probe-missing";

export const readinessProbe = defineRule({
  id: "readiness-probe",
  title: "Long-running containers declare a readiness probe",
  severity: "low",
  rationale:
    "Without a readiness probe Services route requests to pods that are still starting or cannot serve, which turns rollouts and overloads into errors for clients.",
  remediation: "Add a `readinessProbe` that succeeds only when the container can serve requests.",
  references: {
    kubeLinter: ["no-readiness-probe"],
    checkov: ["CKV_K8S_9"],
    polaris: ["readinessProbeMissing"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Kubernetes,
  check(w) {
    return missingProbe(w, "readiness", "it will receive traffic before it can serve");
  },
});
