/**
 * Why: a container without a memory limit can use all of the node's memory; the kernel's OOM
 * killer then picks victims among other workloads (and on Docker hosts, the daemon itself).
 * Applies to Docker (`mem_limit`, `--memory`) and Kubernetes alike.
 */
import { defineRule, PlatformScope } from "../rule";
import { missingResource } from "./resource-setting";

export const memoryLimits = defineRule({
  id: "memory-limits",
  title: "Containers set a memory limit",
  severity: "medium",
  rationale:
    "Without a memory limit one leaking or malicious container can exhaust the node's memory and get other workloads OOM-killed: a denial of service across tenants.",
  remediation:
    "Set a memory limit sized to the workload (Kubernetes `resources.limits.memory`, Compose `mem_limit` or `deploy.resources.limits.memory`, `docker run --memory`).",
  references: {
    cis: ["5.11"],
    kubeLinter: ["unset-memory-requirements"],
    checkov: ["CKV_K8S_13"],
    polaris: ["memoryLimitsMissing"],
    kics: ["bb9ac4f7-e13b-423d-a010-c74a1bfbe492"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    return missingResource(w, "memoryLimit", "set a memory limit so it cannot exhaust the node");
  },
});
