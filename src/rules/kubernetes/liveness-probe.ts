/**
 * Why: without a liveness probe a hung process (deadlock, exhausted pool) keeps its pod
 * "Running" forever. An availability concern more than a security one, hence low severity.
 */
import { defineRule, PlatformScope } from "../rule";
import { missingProbe } from "./probe-missing";

export const livenessProbe = defineRule({
  id: "liveness-probe",
  title: "Long-running containers declare a liveness probe",
  severity: "low",
  rationale:
    "A container that hangs without exiting is never restarted unless a liveness probe detects it, so the service silently degrades.",
  remediation:
    "Add a `livenessProbe` (HTTP, TCP, gRPC or exec) that fails only when the process cannot recover on its own.",
  references: {
    kubeLinter: ["no-liveness-probe"],
    checkov: ["CKV_K8S_8"],
    polaris: ["livenessProbeMissing"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Kubernetes,
  check(w) {
    return missingProbe(w, "liveness", "a hung process will never be restarted");
  },
});
