import { defineRule, PlatformScope } from "../../rule";

export const daemonIcc = defineRule({
  id: "daemon-icc",
  title: "Inter-container communication on the default bridge is disabled",
  severity: "medium",
  rationale:
    "With icc enabled (Docker's default) every container on the default bridge can reach every other one on any port, so one compromised container can probe and attack its neighbours.",
  remediation:
    'Set `"icc": false` in daemon.json and give containers that must talk to each other a user-defined network.',
  references: { cis: ["2.2"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  fixable: true,
  check(daemon) {
    if (daemon.icc === false) return [];
    return [
      {
        path: "icc",
        message:
          daemon.icc === true
            ? "icc is true: containers on the default bridge can all reach each other"
            : "icc is not set, so Docker allows all traffic between containers on the default bridge",
        fix: [{ op: "set", path: "icc", value: false }],
      },
    ];
  },
});
