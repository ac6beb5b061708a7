import { defineRule, PlatformScope } from "../../rule";

export const daemonCgroupParent = defineRule({
  id: "daemon-cgroup-parent",
  title: "The default cgroup parent is confirmed",
  severity: "info",
  rationale:
    "A non-default cgroup-parent moves every container under another cgroup, whose limits then apply to all of them; it should be a deliberate, reviewed choice.",
  remediation:
    "Remove `cgroup-parent` unless the cgroup and its limits were chosen on purpose; if so, suppress this finding with the reason.",
  references: { cis: ["2.10"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  check(daemon) {
    if (daemon.cgroupParent === undefined || daemon.cgroupParent === "") return [];
    return [
      {
        path: "cgroupParent",
        message: `cgroup-parent is "${daemon.cgroupParent}"; confirm its limits suit every container`,
      },
    ];
  },
});
