/**
 * Why: a hostPort binds the container directly on the node's interfaces, bypassing Services
 * and NetworkPolicies and tying the pod to one node. The standard (check `hostPorts`) allows
 * only an absent or zero `hostPort` on every port of every container, init and ephemeral
 * ones included (the built-in admission controller has no allow-list).
 * Docker workloads are skipped: publishing a port is the only way a Docker container receives
 * traffic at all, so it is no escalation there; the Docker rules judge what is published
 * (privileged ports, binding to all interfaces) instead.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { containerField, describeContainer, isDockerWorkload } from "./effective";

export const hostPorts = defineRule({
  id: "host-ports",
  title: "Containers do not bind host ports",
  severity: "medium",
  rationale:
    "A hostPort opens the container on the node's own network interfaces, outside the reach of Services and NetworkPolicies, and pins the pod to nodes where that port is free.",
  remediation: "Remove hostPort (or set it to 0) and expose the port through a Service.",
  references: {
    pss: ["hostPorts"],
    checkov: ["CKV_K8S_26"],
    polaris: ["hostPortSet"],
  },
  pssLevel: "baseline",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    if (isDockerWorkload(w)) return [];
    const out: Violation[] = [];
    w.containers.forEach((c, i) => {
      c.ports.forEach((p, j) => {
        if (p.hostPort === undefined || p.hostPort === 0) return;
        out.push({
          path: containerField(i, `ports.${j}.hostPort`),
          message: `${describeContainer(c)} binds host port ${p.hostPort}; remove hostPort and use a Service`,
        });
      });
    });
    return out;
  },
});
