import { defineRule, PlatformScope } from "../../rule";

export const daemonRootless = defineRule({
  id: "daemon-rootless",
  title: "The daemon runs rootless where possible",
  severity: "info",
  rationale:
    "A rootless engine runs the daemon and its containers inside a user namespace of an ordinary user, so an escape from the engine does not give root on the host.",
  remediation:
    "Install Docker in rootless mode (dockerd-rootless-setuptool.sh) where its networking and storage limits are acceptable; otherwise enable userns-remap.",
  references: { cis: ["2.1"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  // Only a live engine reports whether it is rootless; daemon.json cannot say, so the rule stays silent there.
  check(daemon) {
    if (daemon.rootless !== false) return [];
    if (daemon.usernsRemap !== undefined && daemon.usernsRemap.trim() !== "") return [];
    return [{ path: "rootless", message: "the engine runs as root without user namespace remapping" }];
  },
});
