import { defineRule, PlatformScope } from "../../rule";

export const daemonLogLevel = defineRule({
  id: "daemon-log-level",
  title: "The daemon logs at level info",
  severity: "low",
  rationale:
    "At `info` the daemon records the events an investigation needs; `debug` floods the logs (and can record sensitive request data), while `warn` or lower drops events.",
  remediation: 'Remove `log-level` and `debug` from daemon.json, or set `"log-level": "info"`.',
  references: { cis: ["2.3"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  check(daemon) {
    const out = [];
    const level = daemon.settings["log-level"];
    if (typeof level === "string" && level.toLowerCase() !== "info") {
      out.push({ path: "settings.log-level", message: `log-level is "${level}"; use "info"` });
    }
    if (daemon.settings.debug === true) {
      out.push({ path: "settings.debug", message: "debug is true, which logs at debug level" });
    }
    return out;
  },
});
