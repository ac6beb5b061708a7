import { defineRule, PlatformScope } from "../../rule";

export const daemonIptables = defineRule({
  id: "daemon-iptables",
  title: "Docker manages iptables",
  severity: "medium",
  rationale:
    "With iptables disabled Docker no longer installs the rules that isolate its networks and publish ports, so network isolation depends on hand-written firewall rules that drift from what containers expect.",
  remediation: 'Remove `"iptables": false` from daemon.json (the default is true).',
  references: { cis: ["2.4"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  check(daemon) {
    if (daemon.iptables !== false) return [];
    return [
      {
        path: "iptables",
        message: "iptables is false: Docker does not maintain its network isolation rules",
      },
    ];
  },
});
