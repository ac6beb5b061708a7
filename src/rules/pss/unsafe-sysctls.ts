/**
 * Why: most sysctls are node-wide or can starve other pods; only a small set is namespaced
 * and isolated per pod. The standard (check `sysctls`) allows only these names in
 * `spec.securityContext.sysctls`, as of 1.35: kernel.shm_rmid_forced,
 * net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies,
 * net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports (1.27+),
 * net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, net.ipv4.tcp_keepalive_intvl,
 * net.ipv4.tcp_keepalive_probes (1.29+), net.ipv4.tcp_rmem and net.ipv4.tcp_wmem (1.32+).
 * Names are compared exactly (no `/` spelling, no wildcards). Docker `sysctls` are held to the
 * same safe set. No automatic fix: the workload asked for the setting on purpose.
 */
import { defineRule } from "../rule";
import { quote } from "./effective";

export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
]);

export const unsafeSysctls = defineRule({
  id: "unsafe-sysctls",
  title: "Only namespaced, pod-isolated sysctls may be set",
  severity: "medium",
  rationale:
    "Sysctls outside the safe set either change the whole node or let one pod exhaust kernel resources shared with others, and some disable security mechanisms.",
  remediation:
    "Remove the sysctl, or tune it on the node instead; the safe set is listed in the Pod Security Standards (baseline, Sysctls).",
  references: {
    pss: ["sysctls"],
    kubeLinter: ["unsafe-sysctls"],
  },
  pssLevel: "baseline",
  targets: ["workload"],
  check(w) {
    return (w.securityContext.sysctls ?? []).flatMap((s, j) =>
      SAFE_SYSCTLS.has(s.name)
        ? []
        : [
            {
              path: `securityContext.sysctls.${j}.name`,
              message: `sysctl ${quote(s.name)} is not in the safe set; remove it or tune it on the node`,
            },
          ],
    );
  },
});
