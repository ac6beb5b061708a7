import { defineRule, PlatformScope } from "../../rule";

export const daemonLiveRestore = defineRule({
  id: "daemon-live-restore",
  title: "Live restore is enabled",
  severity: "low",
  rationale:
    "With live-restore, containers keep running while the daemon restarts, so the engine can be patched promptly without an outage.",
  remediation: 'Set `"live-restore": true` in daemon.json.',
  references: { cis: ["2.15"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  fixable: true,
  check(daemon) {
    if (daemon.liveRestore === true) return [];
    return [
      {
        path: "liveRestore",
        message: "live-restore is not true: restarting the daemon stops every container",
        fix: [{ op: "set", path: "liveRestore", value: true }],
      },
    ];
  },
});
