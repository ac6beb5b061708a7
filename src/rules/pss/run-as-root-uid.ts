/**
 * Why: `runAsUser: 0` asks for root outright; with runAsNonRoot the kubelet would refuse to
 * start it, so the standard (check `runAsUser`, 1.23+) rejects it at admission already. Any
 * non-zero value or no value passes, on the pod and on every container (init and ephemeral
 * included). Since 1.35 pods with `hostUsers: false` are exempt. Docker's `user: root` or
 * `user: "0"` (a name in the model) is the same request and is reported too. No automatic
 * fix: which uid the program can run as depends on the image.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import {
  containerField,
  describeContainer,
  exemptAsUserNamespaced,
  isRootUserName,
  quote,
} from "./effective";

export const runAsRootUid = defineRule({
  id: "run-as-root-uid",
  title: "Containers are not set to run as uid 0",
  severity: "high",
  rationale:
    "Setting the user to 0 explicitly runs the workload as root, with root's ownership of the filesystem and root's reach after an escape.",
  remediation:
    'Set runAsUser to a non-zero uid that the image supports (Docker: `user: "10001"`), or remove it and rely on a non-root USER in the image.',
  references: {
    pss: ["runAsUser"],
  },
  pssLevel: "restricted",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w, ctx) {
    if (exemptAsUserNamespaced(w, ctx)) return [];
    const out: Violation[] = [];
    if (w.securityContext.runAsUser === 0) {
      out.push({
        path: "securityContext.runAsUser",
        message: "pod sets runAsUser=0 (root); use a non-zero uid",
      });
    }
    w.containers.forEach((c, i) => {
      const sc = c.securityContext;
      if (sc.runAsUser === 0) {
        out.push({
          path: containerField(i, "securityContext.runAsUser"),
          message: `${describeContainer(c)} sets runAsUser=0 (root); use a non-zero uid`,
        });
      } else if (sc.runAsUser === undefined && isRootUserName(sc.runAsUserName)) {
        out.push({
          path: containerField(i, "securityContext.runAsUserName"),
          message: `${describeContainer(c)} runs as user ${quote(sc.runAsUserName)}, which is uid 0; use a non-root user`,
        });
      }
    });
    return out;
  },
});
