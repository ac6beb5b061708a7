/**
 * Why: a pod without a CPU request gets scheduled as if it needed no CPU and gets the smallest
 * share under contention. Kubernetes only: Docker has no scheduler.
 */
import { defineRule, PlatformScope } from "../rule";
import { missingResource } from "./resource-setting";

export const cpuRequests = defineRule({
  id: "cpu-requests",
  title: "Containers request CPU",
  severity: "low",
  rationale:
    "Without a CPU request the scheduler overcommits nodes and the container gets the minimum CPU share when the node is busy.",
  remediation: "Set `resources.requests.cpu` to the CPU the container normally uses.",
  references: {
    kubeLinter: ["unset-cpu-requirements"],
    checkov: ["CKV_K8S_10"],
    polaris: ["cpuRequestsMissing"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Kubernetes,
  check(w) {
    return missingResource(w, "cpuRequest", "request the CPU it normally uses");
  },
});
