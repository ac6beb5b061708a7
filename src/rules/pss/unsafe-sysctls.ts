/**
 * Why: most sysctls are node-wide or can starve other pods; only a small set is namespaced
 * and isolated per pod. The standard (check `sysctls`) allows only the names below in
 * `spec.securityContext.sysctls`; the set grew over versions (see `PSS_CHANGES`), so what is
 * safe depends on the version enforced. Names are compared exactly (no `/` spelling, no
 * wildcards). Docker `sysctls` are held to the same safe set. No automatic fix: the workload
 * asked for the setting on purpose.
 */
import { defineRule, PlatformScope } from "../rule";
import { quote } from "./effective";
import { PSS_CHANGES, type PssMinor } from "./versions";

/** Each safe sysctl with the first version that allows it (v1.25's set from the start). */
const SAFE_SYSCTLS_SINCE: ReadonlyMap<string, number> = new Map([
  ["kernel.shm_rmid_forced", 0],
  ["net.ipv4.ip_local_port_range", 0],
  ["net.ipv4.ip_unprivileged_port_start", 0],
  ["net.ipv4.tcp_syncookies", 0],
  ["net.ipv4.ping_group_range", 0],
  ["net.ipv4.ip_local_reserved_ports", PSS_CHANGES.reservedPortsSysctl.since],
  ["net.ipv4.tcp_keepalive_time", PSS_CHANGES.keepaliveSysctls.since],
  ["net.ipv4.tcp_fin_timeout", PSS_CHANGES.keepaliveSysctls.since],
  ["net.ipv4.tcp_keepalive_intvl", PSS_CHANGES.keepaliveSysctls.since],
  ["net.ipv4.tcp_keepalive_probes", PSS_CHANGES.keepaliveSysctls.since],
  ["net.ipv4.tcp_rmem", PSS_CHANGES.tcpMemorySysctls.since],
  ["net.ipv4.tcp_wmem", PSS_CHANGES.tcpMemorySysctls.since],
  ["net.ipv4.tcp_slow_start_after_idle", PSS_CHANGES.tcpTuningSysctls.since],
  ["net.ipv4.tcp_notsent_lowat", PSS_CHANGES.tcpTuningSysctls.since],
]);

/** True when `name` is in the safe set of the standard at `version`. */
export function isSafeSysctl(name: string, version: PssMinor): boolean {
  const since = SAFE_SYSCTLS_SINCE.get(name);
  return since !== undefined && since <= version;
}

export const unsafeSysctls = defineRule({
  id: "unsafe-sysctls",
  title: "Pods set only namespaced, pod-isolated sysctls",
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
  platforms: PlatformScope.Both,
  check(w, ctx) {
    return (w.securityContext.sysctls ?? []).flatMap((s, j) =>
      isSafeSysctl(s.name, ctx.pssVersion)
        ? []
        : [
            {
              path: `securityContext.sysctls.${j}.name`,
              message: `sysctl ${quote(s.name)} is not in the safe set of the Pod Security Standards v1.${ctx.pssVersion}; remove it or tune it on the node`,
            },
          ],
    );
  },
});
