/**
 * Why: Kubernetes runs containers without any seccomp filter unless a profile is asked for
 * (the kubelet's SeccompDefault is opt-in), so the restricted standard (check
 * `seccompProfile_restricted`, 1.19+) requires an explicit RuntimeDefault or Localhost
 * profile for every container — set on the container or inherited from the pod. A pod-level
 * profile that is set but not allowed fails even if every container overrides it, and so does
 * any container that sets a disallowed one. Since 1.25 Windows pods are exempt.
 * Docker applies its default profile whenever none is given, so a Docker container fails only
 * when it names another one (Unconfined). The automatic fix sets RuntimeDefault at pod level
 * when containers merely left the profile unset.
 */
import type { Workload } from "../../model";
import { defineRule, type Patch, PlatformScope, type Violation } from "../rule";
import {
  CONFINED_SECCOMP_TYPES,
  containerField,
  describeContainer,
  isDockerWorkload,
  isUnknownPath,
  isWindowsPod,
  quote,
} from "./effective";

const POD_FIELD = "securityContext.seccompProfile.type";

function check(w: Workload): Violation[] {
  const out: Violation[] = [];
  const docker = isDockerWorkload(w);
  const podType = w.securityContext.seccompProfile?.type;
  if (podType !== undefined && !CONFINED_SECCOMP_TYPES.has(podType)) {
    out.push({
      path: POD_FIELD,
      message: `pod sets seccomp profile type ${quote(podType)}; set RuntimeDefault or Localhost`,
    });
  }
  const podConfined = podType !== undefined && CONFINED_SECCOMP_TYPES.has(podType);
  const canInherit = podType === undefined && !isUnknownPath(w, POD_FIELD);
  const fix: Patch[] = [{ op: "set", path: POD_FIELD, value: "RuntimeDefault" }];
  w.containers.forEach((c, i) => {
    const type = c.securityContext.seccompProfile?.type;
    const path = containerField(i, "securityContext.seccompProfile.type");
    if (type !== undefined) {
      if (CONFINED_SECCOMP_TYPES.has(type)) return;
      out.push({
        path,
        message: `${describeContainer(c)} sets seccomp profile type ${quote(type)}; set RuntimeDefault or Localhost`,
      });
      return;
    }
    if (podConfined || docker || !canInherit) return;
    out.push({
      path,
      message: `${describeContainer(c)} has no seccomp profile, neither its own nor the pod's; set securityContext.seccompProfile.type to RuntimeDefault`,
      fix,
    });
  });
  return out;
}

export const seccompProfileRequired = defineRule({
  id: "seccomp-profile-required",
  title: "A seccomp profile is set explicitly",
  severity: "medium",
  rationale:
    "Kubernetes does not filter system calls unless a seccomp profile is requested, leaving the whole kernel interface to the container.",
  remediation:
    "Set securityContext.seccompProfile.type: RuntimeDefault on the pod (or Localhost with a profile), and remove any Unconfined override.",
  references: {
    pss: ["seccompProfile_restricted"],
    checkov: ["CKV_K8S_31"],
    polaris: ["linuxHardening"],
  },
  pssLevel: "restricted",
  differences: [
    {
      framework: "polaris",
      id: "linuxHardening",
      note: "requires a seccomp profile on every container (the restricted standard); AppArmor, SELinux or dropped capabilities do not stand in for it.",
    },
  ],
  targets: ["workload"],
  platforms: PlatformScope.Both,
  fixable: true,
  check(w) {
    if (isWindowsPod(w)) return [];
    return check(w);
  },
});
