/**
 * Why: capabilities beyond the container runtime's default set (SYS_ADMIN, NET_ADMIN,
 * SYS_PTRACE, NET_RAW, …) are the usual way out of a container. The standard (check
 * `capabilities_baseline`) allows `capabilities.add` to hold only AUDIT_WRITE, CHOWN,
 * DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP,
 * SETUID and SYS_CHROOT, on every container including init and ephemeral ones. The names are
 * compared exactly (`CAP_CHOWN` or `ALL` fail); 1.35 does not relax this for user-namespaced
 * pods. Docker accepts any case and a `CAP_` prefix, so Docker names are normalized first.
 * No automatic fix: removing a capability the program needs breaks it.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { capabilityName, containerField, describeContainer, quote } from "./effective";

/** The capabilities Docker and containerd grant by default, as the standard lists them. */
export const BASELINE_ALLOWED_CAPABILITIES: ReadonlySet<string> = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

export const capabilitiesBaseline = defineRule({
  id: "capabilities-baseline",
  title: "Containers add no capabilities beyond the default set",
  severity: "high",
  rationale:
    "Capabilities such as SYS_ADMIN, NET_ADMIN or SYS_PTRACE give root-equivalent powers over the kernel or other processes and are the common route of container escapes.",
  remediation:
    "Remove the capability from securityContext.capabilities.add (Docker: cap_add); if the program truly needs it, run it in a namespace that is not held to the baseline standard.",
  references: {
    pss: ["capabilities_baseline"],
    cis: ["5.4"],
    checkov: ["CKV_K8S_25", "CKV_K8S_39"],
    polaris: ["dangerousCapabilities"],
  },
  pssLevel: "baseline",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    const out: Violation[] = [];
    w.containers.forEach((c, i) => {
      (c.securityContext.capabilities?.add ?? []).forEach((raw, j) => {
        if (BASELINE_ALLOWED_CAPABILITIES.has(capabilityName(w, raw))) return;
        out.push({
          path: containerField(i, `securityContext.capabilities.add.${j}`),
          message: `${describeContainer(c)} adds capability ${quote(raw)}, which is outside the default set; remove it`,
          // Checkov's SYS_ADMIN check answers only that capability.
          references: {
            checkov: capabilityName(w, raw) === "SYS_ADMIN" ? ["CKV_K8S_25", "CKV_K8S_39"] : ["CKV_K8S_25"],
          },
        });
      });
    });
    return out;
  },
});
