/**
 * Why: seccomp filters the system calls a container may make; without it every kernel entry
 * point is reachable. The baseline standard (check `seccompProfile_baseline`, field form since
 * 1.19) only forbids an explicit profile other than RuntimeDefault or Localhost — Unconfined in
 * practice — on the pod and on every container (init and ephemeral too); leaving it unset
 * passes at this level. The old seccomp annotations are no longer read by 1.35.
 * Docker's `security_opt: seccomp=unconfined` maps to Unconfined.
 * No automatic fix: a workload that turned seccomp off may need a custom Localhost profile.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { CONFINED_SECCOMP_TYPES, containerField, describeContainer, quote } from "./effective";

export const seccompUnconfined = defineRule({
  id: "seccomp-unconfined",
  title: "Seccomp is not disabled",
  severity: "high",
  rationale:
    "Without a seccomp filter the container can call every system call, including the rarely used ones behind most kernel privilege-escalation bugs.",
  remediation:
    "Remove the Unconfined seccomp profile, or use type RuntimeDefault or a Localhost profile; Docker: drop `seccomp=unconfined`.",
  references: {
    pss: ["seccompProfile_baseline"],
    cis: ["5.22"],
    kics: ["404fde2c-bc4b-4371-9747-7054132ac953"],
  },
  pssLevel: "baseline",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    const out: Violation[] = [];
    const podType = w.securityContext.seccompProfile?.type;
    if (podType !== undefined && !CONFINED_SECCOMP_TYPES.has(podType)) {
      out.push({
        path: "securityContext.seccompProfile.type",
        message: `pod sets seccomp profile type ${quote(podType)}; use RuntimeDefault or Localhost`,
      });
    }
    w.containers.forEach((c, i) => {
      const type = c.securityContext.seccompProfile?.type;
      if (type === undefined || CONFINED_SECCOMP_TYPES.has(type)) return;
      out.push({
        path: containerField(i, "securityContext.seccompProfile.type"),
        message: `${describeContainer(c)} sets seccomp profile type ${quote(type)}; use RuntimeDefault or Localhost`,
      });
    });
    return out;
  },
});
