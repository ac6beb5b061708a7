/**
 * Why: the kubelet runs httpGet/tcpSocket probes and lifecycle hooks from the node, so a `host`
 * lets a pod author make the node call any address it can reach (metadata services,
 * node-local daemons, and on loopback the node's own services). Since 1.34 the baseline level
 * (check `hostProbesAndHostLifecycle`) allows the host field only absent or empty: loopback
 * (`127.0.0.1`, `::1`) is a host like any other. Docker health checks run inside the container
 * and have no such field.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { containerField, describeContainer } from "./effective";
import { PSS_CHANGES } from "./versions";

export const probeHost = defineRule({
  id: "probe-host",
  title: "Probes and lifecycle hooks do not call other hosts",
  severity: "medium",
  rationale:
    "The kubelet executes network probes and hooks from the node; a custom host turns them into requests the node makes on the pod author's behalf.",
  remediation:
    "Remove the `host` field of httpGet/tcpSocket probes and lifecycle hooks (set an HTTP Host header instead if a virtual host is needed).",
  references: { pss: ["hostProbesAndHostLifecycle"] },
  pssLevel: "baseline",
  pssSince: PSS_CHANGES.hostProbes.since,
  targets: ["workload"],
  platforms: PlatformScope.Both,
  fixable: true,
  check(w) {
    const out: Violation[] = [];
    w.containers.forEach((c, i) => {
      (c.hooks ?? []).forEach((hook, j) => {
        if (hook.host === undefined || hook.host === "") return;
        const path = containerField(i, `hooks.${j}.host`);
        out.push({
          path,
          message: `${describeContainer(c)} ${hook.handler} ${hook.action} calls host "${hook.host}" from the node; remove the host so the probe calls the pod itself`,
          fix: [{ op: "remove", path }],
        });
      });
    });
    return out;
  },
});
