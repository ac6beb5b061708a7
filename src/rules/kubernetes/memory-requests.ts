/**
 * Why: requests are what the scheduler reserves. A pod without a memory request is scheduled
 * as if it needed nothing, overcommits the node and is among the first evicted under pressure.
 * Kubernetes only: Docker has no scheduler.
 */
import { defineRule, PlatformScope } from "../rule";
import { missingResource } from "./resource-setting";

export const memoryRequests = defineRule({
  id: "memory-requests",
  title: "Containers request memory",
  severity: "low",
  rationale:
    "Without a memory request the scheduler packs pods onto nodes that cannot hold them; under memory pressure the kubelet evicts such best-effort pods first.",
  remediation: "Set `resources.requests.memory` to the container's normal working set.",
  references: {
    checkov: ["CKV_K8S_12"],
    polaris: ["memoryRequestsMissing"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Kubernetes,
  check(w) {
    return missingResource(w, "memoryRequest", "request the memory it normally uses");
  },
});
