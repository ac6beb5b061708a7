import { defineRule, PlatformScope } from "../../rule";

export const daemonUsernsRemap = defineRule({
  id: "daemon-userns-remap",
  title: "User namespace remapping is enabled",
  severity: "medium",
  rationale:
    "Without userns-remap, root in a container is root on the host: a container escape, or a writable host mount, gives full host privileges. Remapping makes container root an unprivileged host uid.",
  remediation:
    'Set `"userns-remap": "default"` (Docker creates the `dockremap` user and /etc/subuid, /etc/subgid ranges), or run the engine rootless.',
  references: { cis: ["2.9"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  check(daemon) {
    if (daemon.rootless === true) return [];
    if (daemon.usernsRemap !== undefined && daemon.usernsRemap.trim() !== "") return [];
    return [
      { path: "usernsRemap", message: "userns-remap is not set: root in a container is root on the host" },
    ];
  },
});
