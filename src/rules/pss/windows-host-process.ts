/**
 * Why: a Windows HostProcess container runs directly on the Windows host with host network
 * and privileges — the Windows equivalent of privileged plus hostNetwork. The standard (check
 * `windowsHostProcess`) forbids `windowsOptions.hostProcess: true` on the pod and on every
 * container, init and ephemeral ones included. No automatic fix: such a pod is a node agent
 * by design and cannot run without it.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { containerField, describeContainer } from "./effective";

export const windowsHostProcess = defineRule({
  id: "windows-host-process",
  title: "Windows pods do not run as HostProcess containers",
  severity: "critical",
  rationale:
    "HostProcess containers run on the Windows node itself with host networking and full access to the host; they bypass every container boundary.",
  remediation:
    "Remove securityContext.windowsOptions.hostProcess (or set it to false); node agents that need it belong in a namespace that is not held to the baseline standard.",
  references: {
    pss: ["windowsHostProcess"],
    polaris: ["hostProcess"],
  },
  pssLevel: "baseline",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    const out: Violation[] = [];
    if (w.securityContext.windowsHostProcess === true) {
      out.push({
        path: "securityContext.windowsHostProcess",
        message: "pod sets windowsOptions.hostProcess=true; remove it",
      });
    }
    w.containers.forEach((c, i) => {
      if (c.securityContext.windowsHostProcess !== true) return;
      out.push({
        path: containerField(i, "securityContext.windowsHostProcess"),
        message: `${describeContainer(c)} sets windowsOptions.hostProcess=true; remove it`,
      });
    });
    return out;
  },
});
