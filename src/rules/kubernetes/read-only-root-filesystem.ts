/**
 * Why: a writable root filesystem lets an intruder drop tools, patch binaries and persist
 * across process restarts; read-only forces writes into declared volumes (emptyDir/tmpfs).
 * Docker's `read_only: true` / `--read-only` maps to the same model field.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { containerLabel, eachContainer } from "./workload-scope";

export const readOnlyRootFilesystem = defineRule({
  id: "read-only-root-filesystem",
  title: "Containers run with a read-only root filesystem",
  severity: "medium",
  rationale:
    "With a writable root filesystem an attacker can download tools, modify the application's binaries and configuration, and persist until the container is recreated.",
  remediation:
    "Set `securityContext.readOnlyRootFilesystem: true` (Compose `read_only: true`, `docker run --read-only`) and mount an emptyDir or tmpfs where the application must write (/tmp, caches).",
  references: {
    cis: ["5.13"],
    kubeLinter: ["no-read-only-root-fs"],
    checkov: ["CKV_K8S_22"],
    polaris: ["notReadOnlyRootFilesystem"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Both,
  fixable: true,
  check(w) {
    const out: Violation[] = [];
    for (const { container, path } of eachContainer(w)) {
      const value = container.securityContext.readOnlyRootFilesystem;
      if (value === true) continue;
      const field = `${path}.securityContext.readOnlyRootFilesystem`;
      out.push({
        path: field,
        message:
          value === false
            ? `${containerLabel(container)} sets readOnlyRootFilesystem to false; set it to true and mount writable paths as volumes`
            : `${containerLabel(container)} does not set readOnlyRootFilesystem, so its root filesystem is writable; set it to true`,
        fix: [{ op: "set", path: field, value: true }],
      });
    }
    return out;
  },
});
