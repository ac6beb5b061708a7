import { defineRule, PlatformScope } from "../../rule";

export const daemonNoNewPrivileges = defineRule({
  id: "daemon-no-new-privileges",
  title: "Containers cannot gain new privileges by default",
  severity: "medium",
  rationale:
    "With no-new-privileges set daemon-wide, setuid binaries and file capabilities inside any container cannot raise its privileges, even when a container forgets to ask for it.",
  remediation: 'Set `"no-new-privileges": true` in daemon.json.',
  references: { cis: ["2.14"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  fixable: true,
  check(daemon) {
    if (daemon.noNewPrivileges === true) return [];
    return [
      {
        path: "noNewPrivileges",
        message: "no-new-privileges is not true: containers may gain privileges through setuid binaries",
        fix: [{ op: "set", path: "noNewPrivileges", value: true }],
      },
    ];
  },
});
