/**
 * Checks of kube-linter, checkov and Polaris that a Pod Security Standards rule already
 * implements. The PSS rules own these ids (copy them into their `references`); no rule of the
 * Kubernetes group may claim them. Kept as data so a test can check that every id is either
 * here, on a Kubernetes rule, or in `kubernetesOutOfScope` — never twice.
 */
import type { References } from "../rule";

export interface PssEquivalent {
  /** Id of the PSS rule (see src/rules/pss). */
  ruleId: string;
  references: Pick<References, "kubeLinter" | "checkov" | "polaris">;
  /** Why the mapping holds when it is not one-to-one. */
  note?: string;
}

export const pssEquivalents: readonly PssEquivalent[] = [
  {
    ruleId: "host-namespaces",
    references: {
      kubeLinter: ["host-network", "host-pid", "host-ipc"],
      checkov: ["CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19"],
      polaris: ["hostNetworkSet", "hostPIDSet", "hostIPCSet"],
    },
  },
  {
    ruleId: "privileged-container",
    references: {
      kubeLinter: ["privileged-container"],
      checkov: ["CKV_K8S_16"],
      polaris: ["runAsPrivileged"],
    },
  },
  {
    ruleId: "capabilities-baseline",
    references: { checkov: ["CKV_K8S_25", "CKV_K8S_39"], polaris: ["dangerousCapabilities"] },
    note: "Any capability beyond the baseline's allowed additions is reported, SYS_ADMIN, NET_ADMIN and ALL included.",
  },
  {
    ruleId: "drop-all-capabilities",
    references: {
      kubeLinter: ["drop-net-raw-capability"],
      checkov: ["CKV_K8S_28", "CKV_K8S_37"],
      polaris: ["insecureCapabilities"],
    },
    note: "Dropping ALL drops NET_RAW and every capability Polaris lists; restricted allows adding back only NET_BIND_SERVICE, so added capabilities are reported too. A separate NET_RAW rule would only duplicate findings in the default profile, which runs the restricted rules.",
  },
  {
    ruleId: "host-path-volumes",
    references: { kubeLinter: ["writable-host-mount"], polaris: ["hostPathSet"] },
    note: "The standard forbids host paths whether writable or not.",
  },
  {
    ruleId: "host-ports",
    references: { checkov: ["CKV_K8S_26"], polaris: ["hostPortSet"] },
  },
  {
    ruleId: "privilege-escalation",
    references: {
      kubeLinter: ["privilege-escalation-container"],
      checkov: ["CKV_K8S_20"],
      polaris: ["privilegeEscalationAllowed"],
    },
  },
  {
    ruleId: "run-as-non-root",
    references: { kubeLinter: ["run-as-non-root"], checkov: ["CKV_K8S_23"], polaris: ["runAsRootAllowed"] },
  },
  {
    ruleId: "seccomp-profile-required",
    references: { checkov: ["CKV_K8S_31"], polaris: ["linuxHardening"] },
    note: "Polaris' linuxHardening accepts seccomp, AppArmor, SELinux or dropped capabilities; restricted requires seccomp, and drop-all-capabilities covers the capability part.",
  },
  {
    ruleId: "unmasked-proc-mount",
    references: { kubeLinter: ["unsafe-proc-mount"], polaris: ["procMount"] },
  },
  {
    ruleId: "unsafe-sysctls",
    references: { kubeLinter: ["unsafe-sysctls"] },
  },
  {
    ruleId: "windows-host-process",
    references: { polaris: ["hostProcess"] },
  },
];
