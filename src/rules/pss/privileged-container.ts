/**
 * Why: a privileged container gets every capability, every device and no seccomp/AppArmor
 * confinement — root in it is root on the node. The standard (check `privileged`) forbids
 * `securityContext.privileged: true` on every container, init and ephemeral ones included;
 * absent or false passes. Setting it to false is always a safe automatic fix: nothing that
 * is allowed under the standard depends on it.
 */
import { defineRule, PlatformScope } from "../rule";
import { containerField, describeContainer } from "./effective";

export const privilegedContainer = defineRule({
  id: "privileged-container",
  title: "Containers do not run privileged",
  severity: "critical",
  rationale:
    "Privileged mode disables nearly every isolation mechanism: all capabilities, all host devices, no seccomp or AppArmor. A compromise of the container is a compromise of the node.",
  remediation:
    "Remove `privileged: true` (or set it to false) and grant only the specific capabilities or devices the workload needs.",
  references: {
    pss: ["privileged"],
    cis: ["5.5"],
    kubeLinter: ["privileged-container"],
    checkov: ["CKV_K8S_16"],
    polaris: ["runAsPrivileged"],
    kics: ["ae5b6871-7f45-42e0-bb4c-ab300c4d2026"],
  },
  pssLevel: "baseline",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  fixable: true,
  check(w) {
    return w.containers.flatMap((c, i) => {
      if (c.securityContext.privileged !== true) return [];
      const path = containerField(i, "securityContext.privileged");
      return [
        {
          path,
          message: `${describeContainer(c)} runs privileged; set securityContext.privileged to false`,
          fix: [{ op: "set", path, value: false }],
        },
      ];
    });
  },
});
