/**
 * Why: a port published without a host address listens on every interface of the host, and
 * Docker's iptables rules bypass host firewalls. The fix binds such ports to one address, but
 * which address is right (loopback behind a proxy, a private interface) only the user knows, so
 * the fix is offered only when the `bindAddress` parameter names one (`--bind-ports` on the
 * command line). Kubernetes hostPorts are `host-ports`' business: Docker only.
 */
import type { Patch, Violation } from "../../rule";
import { defineRule, ParameterType, PlatformScope } from "../../rule";

const WILDCARDS = new Set(["", "0.0.0.0", "::", "[::]"]);

export const portsAllInterfaces = defineRule({
  id: "ports-all-interfaces",
  title: "Published ports are bound to a specific host interface",
  severity: "medium",
  rationale:
    "A port published without a host address listens on every interface of the host, including public ones, and Docker's iptables rules bypass host firewalls such as ufw.",
  remediation:
    'Bind each published port to the interface that should receive the traffic, e.g. `"127.0.0.1:8080:80"` behind a reverse proxy, or a private address.',
  references: { cis: ["5.14"], kics: ["451d79dc-0588-476a-ad03-3c7f0320abb3"] },
  targets: ["workload"],
  platforms: PlatformScope.Docker,
  parameters: [
    {
      name: "bindAddress",
      type: ParameterType.IpAddress,
      description:
        "Host address the automatic fix binds published ports to (e.g. 127.0.0.1); without it the rule offers no fix. CLI: `--bind-ports <address>`.",
    },
  ],
  fixable: true,
  check(w, ctx) {
    const bindAddress = ctx.parameters.bindAddress;
    return w.containers.flatMap((c, ci) =>
      c.ports.flatMap((p, pi): Violation[] => {
        if (p.hostPort === undefined || !WILDCARDS.has((p.hostIP ?? "").trim())) return [];
        const path = `containers.${ci}.ports.${pi}`;
        const published = p.hostPort === 0 ? "a random host port" : `host port ${p.hostPort}`;
        const v: Violation = {
          path: p.hostIP === undefined ? path : `${path}.hostIP`,
          message: `container port ${p.containerPort} is published on ${published} on all host interfaces`,
        };
        if (typeof bindAddress === "string") {
          const fix: Patch[] = [{ op: "set", path: `${path}.hostIP`, value: bindAddress }];
          v.fix = fix;
        }
        return [v];
      }),
    );
  },
});
