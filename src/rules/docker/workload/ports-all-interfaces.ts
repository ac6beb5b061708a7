import type { Patch, Rule, Violation } from "../../rule";
import { defineRule } from "../../rule";
import { isDockerWorkload } from "./docker-workload";

const WILDCARDS = new Set(["", "0.0.0.0", "::", "[::]"]);

export interface PortsAllInterfacesOptions {
  /**
   * Offer a fix that binds published ports to this address (e.g. `127.0.0.1`). Off by default:
   * binding to loopback changes who can reach the service, so only the user can choose it.
   * @default undefined (no fix)
   */
  bindAddress?: string;
}

/** Builds the rule; `portsAllInterfaces` is the default instance without a fix. */
export function createPortsAllInterfaces(options: PortsAllInterfacesOptions = {}): Rule {
  return defineRule({
    id: "ports-all-interfaces",
    title: "Published ports are bound to a specific host interface",
    severity: "medium",
    rationale:
      "A port published without a host address listens on every interface of the host, including public ones, and Docker's iptables rules bypass host firewalls such as ufw.",
    remediation:
      'Bind each published port to the interface that should receive the traffic, e.g. `"127.0.0.1:8080:80"` behind a reverse proxy, or a private address.',
    references: { cis: ["5.14"], kics: ["451d79dc-0588-476a-ad03-3c7f0320abb3"] },
    targets: ["workload"],
    fixable: options.bindAddress !== undefined,
    check(w) {
      // Kubernetes hostPorts are handled by host-ports; this is about Docker's port publishing.
      if (!isDockerWorkload(w)) return [];
      return w.containers.flatMap((c, ci) =>
        c.ports.flatMap((p, pi): Violation[] => {
          if (p.hostPort === undefined || !WILDCARDS.has((p.hostIP ?? "").trim())) return [];
          const path = `containers.${ci}.ports.${pi}`;
          const published = p.hostPort === 0 ? "a random host port" : `host port ${p.hostPort}`;
          const v: Violation = {
            path: p.hostIP === undefined ? path : `${path}.hostIP`,
            message: `container port ${p.containerPort} is published on ${published} on all host interfaces`,
          };
          if (options.bindAddress !== undefined) {
            const fix: Patch[] = [{ op: "set", path: `${path}.hostIP`, value: options.bindAddress }];
            v.fix = fix;
          }
          return [v];
        }),
      );
    },
  });
}

export const portsAllInterfaces = createPortsAllInterfaces();
