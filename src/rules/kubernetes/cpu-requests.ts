/**
 * Why: a pod without a CPU request gets scheduled as if it needed no CPU and gets the smallest
 * share under contention. Kubernetes only: Docker has no scheduler.
 */
import { defineRule } from "../rule";
import { missingResource } from "./resource-setting";
import { isKubernetesWorkload } from "./workload-scope";

export const cpuRequests = defineRule({
  id: "cpu-requests",
  title: "Containers should request CPU",
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
  check(w) {
    if (!isKubernetesWorkload(w)) return [];
    return missingResource(w, "cpuRequest", "request the CPU it normally uses");
  },
});
