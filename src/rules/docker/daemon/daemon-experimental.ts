import { defineRule, PlatformScope } from "../../rule";

export const daemonExperimental = defineRule({
  id: "daemon-experimental",
  title: "Experimental features are off",
  severity: "low",
  rationale:
    "Experimental features are not fully tested and carry no API stability promise; they do not belong in production.",
  remediation: 'Remove `"experimental": true` from daemon.json.',
  references: { cis: ["2.18"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  check(daemon) {
    if (daemon.experimental !== true) return [];
    return [{ path: "experimental", message: "experimental is true: untested daemon features are enabled" }];
  },
});
