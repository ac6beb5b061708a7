/**
 * Why: 1.35 split the /proc check. Baseline (`procMount`) lets a pod with `hostUsers: false`
 * unmask /proc; restricted (`procMount_restricted`, overriding the baseline check) still
 * forbids it for every pod. This rule covers exactly the case the baseline rule lets pass —
 * an unmasked /proc in a user-namespaced pod — so each offending field is reported once at
 * either level.
 */
import { defineRule, PlatformScope } from "../rule";
import { exemptAsUserNamespaced } from "./effective";
import { unmaskedProcMounts } from "./unmasked-proc-mount";
import { PSS_CHANGES } from "./versions";

export const unmaskedProcMountRestricted = defineRule({
  id: "unmasked-proc-mount-restricted",
  title: "Containers keep the default /proc masks, even in a user namespace",
  severity: "medium",
  rationale:
    "The restricted standard keeps the /proc masks even for user-namespaced pods: an unmasked /proc still widens the kernel surface the workload can reach.",
  remediation: "Remove securityContext.procMount (or set it to Default).",
  references: {
    pss: ["procMount_restricted"],
  },
  pssLevel: "restricted",
  pssSince: PSS_CHANGES.userNamespaceRelaxation.since,
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w, ctx) {
    if (!exemptAsUserNamespaced(w, ctx)) return [];
    return unmaskedProcMounts(w, "the restricted level forbids it even with hostUsers: false; remove it");
  },
});
