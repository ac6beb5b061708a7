import { defineRule, PlatformScope } from "../../rule";

export const daemonDefaultUlimits = defineRule({
  id: "daemon-default-ulimits",
  title: "Default ulimits are set for containers",
  severity: "low",
  rationale:
    "Without default ulimits a container inherits the daemon's limits (often very high), so one runaway or hostile container can exhaust file descriptors or processes for the whole host.",
  remediation:
    'Set `"default-ulimits"` in daemon.json, e.g. `{"nofile": {"Name": "nofile", "Soft": 1024, "Hard": 4096}, "nproc": {"Name": "nproc", "Soft": 1024, "Hard": 2048}}`.',
  references: { cis: ["2.8"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  check(daemon) {
    if (daemon.defaultUlimits && Object.keys(daemon.defaultUlimits).length > 0) return [];
    return [
      {
        path: "defaultUlimits",
        message: "default-ulimits is not set: containers inherit the daemon's limits",
      },
    ];
  },
});
