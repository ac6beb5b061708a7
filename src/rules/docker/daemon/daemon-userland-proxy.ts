import { defineRule, PlatformScope } from "../../rule";

export const daemonUserlandProxy = defineRule({
  id: "daemon-userland-proxy",
  title: "The userland proxy is disabled",
  severity: "low",
  rationale:
    "The userland proxy is an extra process per published port that hairpin NAT makes unnecessary; turning it off removes attack surface.",
  remediation: 'Set `"userland-proxy": false` in daemon.json.',
  references: { cis: ["2.16"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  fixable: true,
  check(daemon) {
    if (daemon.userlandProxy === false) return [];
    return [
      {
        path: "userlandProxy",
        message: "userland-proxy is not false: a proxy process runs for every published port",
        fix: [{ op: "set", path: "userlandProxy", value: false }],
      },
    ];
  },
});
