import { defineRule, PlatformScope } from "../../rule";

export const daemonAuthorizationPlugin = defineRule({
  id: "daemon-authorization-plugin",
  title: "An authorization plugin controls Docker client commands",
  severity: "low",
  rationale:
    "Without an authorization plugin anyone who can reach the Docker socket may run any command, including privileged containers that own the host.",
  remediation:
    'Install an authorization plugin (e.g. Open Policy Agent\'s opa-docker-authz) and list it in `"authorization-plugins"`.',
  references: { cis: ["2.12"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  check(daemon) {
    if (daemon.authorizationPlugins.length > 0) return [];
    return [
      {
        path: "authorizationPlugins",
        message: "no authorization-plugins: every client with socket access may run any command",
      },
    ];
  },
});
