import { defineRule, PlatformScope } from "../../rule";

export const hostUtsNamespace = defineRule({
  id: "host-uts-namespace",
  title: "The host's UTS namespace is not shared",
  severity: "medium",
  rationale:
    "Sharing the host's UTS namespace lets the container see, and with CAP_SYS_ADMIN change, the host's hostname and domain name.",
  remediation: "Remove `uts: host` (Compose) or `--uts=host` (docker run).",
  references: { cis: ["5.21"] },
  // Kubernetes has no such setting (hostUTS is only set by Docker sources), so this fires only on Docker workloads.
  targets: ["workload"],
  platforms: PlatformScope.Docker,
  fixable: true,
  check(w) {
    if (w.hostUTS !== true) return [];
    return [
      {
        path: "hostUTS",
        message: "the container shares the host's UTS namespace (uts: host)",
        fix: [{ op: "remove", path: "hostUTS" }],
      },
    ];
  },
});
