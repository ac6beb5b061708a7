import { defineRule, PlatformScope } from "../../rule";

export const hostUserNamespace = defineRule({
  id: "host-user-namespace",
  title: "The host's user namespace is not shared",
  severity: "medium",
  rationale:
    "`userns_mode: host` opts the container out of the daemon's user namespace remapping, so root in the container is root on the host again.",
  remediation: "Remove `userns_mode: host` (Compose) or `--userns=host` (docker run).",
  references: { cis: ["5.31"], kics: ["8af7162d-6c98-482f-868e-0d33fb675ca8"] },
  targets: ["workload"],
  platforms: PlatformScope.Docker,
  check(w) {
    // On Kubernetes hostUsers: true is the default, not an opt-out; only Docker's userns_mode: host is.
    if (w.hostUsers !== true) return [];
    return [
      { path: "hostUsers", message: "userns_mode is host: the container shares the host's user namespace" },
    ];
  },
});
