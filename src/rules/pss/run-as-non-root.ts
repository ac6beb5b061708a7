/**
 * Why: a process running as root in the container is root on the node once it escapes, and
 * owns every file the image ships. The standard (check `runAsNonRoot`) requires
 * `runAsNonRoot: true` for every container (init and ephemeral included), either on the
 * container or inherited from the pod; an explicit `false` on the pod or on any container
 * fails even when the other level says true. A non-zero runAsUser alone does not satisfy it.
 * Since 1.35 pods with `hostUsers: false` are exempt (root there maps to an unprivileged host
 * user). Windows pods are not exempt.
 * Docker has no runAsNonRoot: a container runs as its `user`, and with none as the image's
 * user, root unless the image says otherwise — so a Docker container passes only with a
 * non-root user (a non-zero uid or a name other than root), and a daemon remapping users
 * (userns) exempts it like hostUsers: false. The automatic fix (Kubernetes only) sets
 * runAsNonRoot: true on the pod when a container merely left it unset; explicit `false` is
 * left to a human.
 */
import type { Container, Workload } from "../../model";
import { defineRule, type Patch, PlatformScope, type Violation } from "../rule";
import {
  containerField,
  describeContainer,
  exemptAsUserNamespaced,
  isDockerWorkload,
  isRootUserName,
  isUnknownPath,
  quote,
} from "./effective";

const POD_FIELD = "securityContext.runAsNonRoot";

function dockerViolations(w: Workload): Violation[] {
  return w.containers.flatMap((c: Container, i) => {
    const sc = c.securityContext;
    if (sc.runAsNonRoot === true) return [];
    if (sc.runAsUser !== undefined) {
      if (sc.runAsUser !== 0) return [];
      return [
        {
          path: containerField(i, "securityContext.runAsUser"),
          message: `${describeContainer(c)} runs as uid 0 (root); run it as a non-root user`,
        },
      ];
    }
    if (sc.runAsUserName !== undefined && sc.runAsUserName.trim() !== "") {
      if (!isRootUserName(sc.runAsUserName)) return [];
      return [
        {
          path: containerField(i, "securityContext.runAsUserName"),
          message: `${describeContainer(c)} runs as user ${quote(sc.runAsUserName)}, which is root; run it as a non-root user`,
        },
      ];
    }
    return [
      {
        path: containerField(i, "securityContext.runAsUserName"),
        message: `${describeContainer(c)} sets no user, so it runs as root unless the image says otherwise; set a non-root user`,
      },
    ];
  });
}

function kubernetesViolations(w: Workload): Violation[] {
  const out: Violation[] = [];
  const pod = w.securityContext.runAsNonRoot;
  if (pod === false) {
    out.push({ path: POD_FIELD, message: "pod sets securityContext.runAsNonRoot=false; set it to true" });
  }
  const podUnknown = isUnknownPath(w, POD_FIELD);
  const fix: Patch[] = [{ op: "set", path: POD_FIELD, value: true }];
  w.containers.forEach((c, i) => {
    const own = c.securityContext.runAsNonRoot;
    const path = containerField(i, "securityContext.runAsNonRoot");
    if (own === false) {
      out.push({
        path,
        message: `${describeContainer(c)} sets securityContext.runAsNonRoot=false; set it to true`,
      });
    } else if (own === undefined && pod === undefined && !podUnknown) {
      // An explicit pod-level false is already reported above and covers unset containers.
      out.push({
        path,
        message: `${describeContainer(c)} may run as root: neither it nor the pod sets securityContext.runAsNonRoot=true`,
        fix,
      });
    }
  });
  return out;
}

export const runAsNonRoot = defineRule({
  id: "run-as-non-root",
  title: "Containers are required to run as a non-root user",
  severity: "medium",
  rationale:
    "Root in a container owns the image's files and keeps root's powers over the kernel interfaces left to it; after an escape it is root on the node.",
  remediation:
    "Set securityContext.runAsNonRoot: true on the pod (and a non-zero runAsUser, or a USER in the image); Docker: set `user:` to a non-root uid or name, or run the daemon with user namespace remapping.",
  references: {
    pss: ["runAsNonRoot"],
    kubeLinter: ["run-as-non-root"],
    checkov: ["CKV_K8S_23"],
    polaris: ["runAsRootAllowed"],
  },
  pssLevel: "restricted",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  fixable: true,
  check(w, ctx) {
    if (exemptAsUserNamespaced(w, ctx)) return [];
    return isDockerWorkload(w) ? dockerViolations(w) : kubernetesViolations(w);
  },
});
