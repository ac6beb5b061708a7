/**
 * Why: the runtime masks parts of /proc (kcore, keys, timer lists, sysrq-trigger…) that leak
 * kernel state or let a process poke the host. The standard (check `procMount`) allows only an
 * absent procMount or "Default" on every container, init and ephemeral ones included. Since
 * 1.35 the baseline level no longer constrains procMount for pods with `hostUsers: false`,
 * because a user namespace protects /proc better than the masks (nested containers need it);
 * the restricted level still forbids it — see `unmasked-proc-mount-restricted`.
 * Docker's `security_opt: systempaths=unconfined` maps to Unmasked.
 * No automatic fix: a workload asking for an unmasked /proc usually builds containers itself.
 */
import type { Container, Workload } from "../../model";
import { defineRule, PlatformScope, type Violation } from "../rule";
import { containerField, describeContainer, exemptAsUserNamespaced, quote } from "./effective";

/** Every container whose procMount is set to anything but "Default". */
export function unmaskedProcMounts(w: Workload, remedy: string): Violation[] {
  return w.containers.flatMap((c: Container, i) => {
    const mount = c.securityContext.procMount;
    if (mount === undefined || mount === "Default") return [];
    return [
      {
        path: containerField(i, "securityContext.procMount"),
        message: `${describeContainer(c)} sets procMount ${quote(mount)}; ${remedy}`,
      },
    ];
  });
}

export const unmaskedProcMount = defineRule({
  id: "unmasked-proc-mount",
  title: "Containers keep the default /proc masks",
  severity: "high",
  rationale:
    "Unmasked /proc exposes kernel interfaces the runtime normally hides and that can leak host information or be used to attack the node.",
  remediation:
    "Remove securityContext.procMount (or set it to Default); Docker: drop `systempaths=unconfined`. At baseline, pods that really need it can run in a user namespace (hostUsers: false).",
  references: {
    pss: ["procMount"],
    kubeLinter: ["unsafe-proc-mount"],
    polaris: ["procMount"],
  },
  pssLevel: "baseline",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w, ctx) {
    if (exemptAsUserNamespaced(w, ctx)) return [];
    return unmaskedProcMounts(w, "remove it or set it to Default");
  },
});
