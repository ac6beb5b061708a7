/**
 * Why: the kubelet runs httpGet/tcpSocket probes and lifecycle hooks from the node, so a `host`
 * other than the pod's own lets a pod author make the node call any address it can reach
 * (metadata services, node-local daemons). Since 1.34 the baseline level (check
 * `hostProbesAndHostLifecycle`) allows the host field only empty, or the loopback addresses
 * `127.0.0.1` and `::1` (the admission library's allowed set, wider than the docs' table).
 * Docker health checks run inside the container and have no such field.
 */
import type { Violation } from "../rule";
import { defineRule } from "../rule";
import { containerField, describeContainer } from "./effective";

const ALLOWED_HOSTS = new Set(["", "127.0.0.1", "::1"]);

export const probeHost = defineRule({
  id: "probe-host",
  title: "Probes and lifecycle hooks must not call other hosts",
  severity: "medium",
  rationale:
    "The kubelet executes network probes and hooks from the node; a custom host turns them into requests the node makes on the pod author's behalf.",
  remediation:
    "Remove the `host` field of httpGet/tcpSocket probes and lifecycle hooks (set an HTTP Host header instead if a virtual host is needed).",
  references: { pss: ["hostProbesAndHostLifecycle"] },
  pssLevel: "baseline",
  targets: ["workload"],
  fixable: true,
  check(w) {
    const out: Violation[] = [];
    w.containers.forEach((c, i) => {
      (c.hooks ?? []).forEach((hook, j) => {
        if (hook.host === undefined || ALLOWED_HOSTS.has(hook.host)) return;
        const path = containerField(i, `hooks.${j}.host`);
        out.push({
          path,
          message: `${describeContainer(c)} ${hook.handler} ${hook.action} calls host "${hook.host}" from the node; only the pod itself or loopback is allowed`,
          fix: [{ op: "remove", path }],
        });
      });
    });
    return out;
  },
});
