import { defineRule, PlatformScope } from "../../rule";

/** Drivers that keep logs only on the host (or nowhere). */
const LOCAL_DRIVERS = new Set(["json-file", "local", "none"]);

export const daemonRemoteLogging = defineRule({
  id: "daemon-remote-logging",
  title: "Container logs go to a central, remote store",
  severity: "low",
  rationale:
    "Logs kept only on the host are lost with it and can be erased by whoever compromises it; a remote log driver keeps the evidence.",
  remediation:
    'Set `"log-driver"` to a driver that ships logs off the host (`syslog`, `journald` with forwarding, `gelf`, `fluentd`, `awslogs`, `splunk`…) with its `log-opts`.',
  references: { cis: ["2.13"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  check(daemon) {
    const driver = daemon.logDriver;
    if (driver !== undefined && !LOCAL_DRIVERS.has(driver.toLowerCase())) return [];
    return [
      {
        path: "logDriver",
        message:
          driver === undefined
            ? "log-driver is not set: container logs stay in local json files"
            : `log-driver "${driver}" keeps logs on the host only`,
      },
    ];
  },
});
