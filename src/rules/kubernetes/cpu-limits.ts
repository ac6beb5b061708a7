/**
 * Why: a container without a CPU limit can take every core the node has. Lower severity than
 * memory: CPU is compressible, so the harm is starvation rather than killed processes.
 */
import { defineRule, PlatformScope } from "../rule";
import { missingResource } from "./resource-setting";

export const cpuLimits = defineRule({
  id: "cpu-limits",
  title: "Containers set a CPU limit",
  severity: "low",
  rationale:
    "Without a CPU limit a busy or compromised container can starve every other workload on the node (cryptomining is the usual abuse).",
  remediation:
    "Set a CPU limit (Kubernetes `resources.limits.cpu`, Compose `cpus` or `deploy.resources.limits.cpus`, `docker run --cpus`).",
  references: {
    checkov: ["CKV_K8S_11"],
    polaris: ["cpuLimitsMissing"],
    cis: ["5.12"],
    kics: ["6b610c50-99fb-4ef0-a5f3-e312fd945bc3"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    return missingResource(w, "cpuLimit", "set a CPU limit so it cannot starve the node");
  },
});
