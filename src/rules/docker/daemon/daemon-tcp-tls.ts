import type { DaemonConfig } from "../../../model";
import { defineRule, PlatformScope } from "../../rule";

/** `-H` values without a scheme are TCP addresses (`0.0.0.0:2375`, `:2376`). */
function isTcpHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  if (h.startsWith("tcp://")) return true;
  return !h.includes("://") && !h.startsWith("fd:") && !h.startsWith("npipe:") && h !== "";
}

function tlsProblem(daemon: DaemonConfig): string | undefined {
  if (daemon.tlsVerify !== true) {
    return daemon.tls === true
      ? "TLS is on but tlsverify is not, so any client can connect without a certificate"
      : "tlsverify is not set, so the socket accepts unauthenticated, unencrypted connections";
  }
  const missing = [
    ["tlscacert", daemon.tlsCaCert],
    ["tlscert", daemon.tlsCert],
    ["tlskey", daemon.tlsKey],
  ]
    .filter(([, v]) => v === undefined || v === "")
    .map(([k]) => k);
  return missing.length > 0 ? `tlsverify is on but ${missing.join(", ")} not set` : undefined;
}

export const daemonTcpTls = defineRule({
  id: "daemon-tcp-tls",
  title: "A TCP daemon socket requires TLS client authentication",
  severity: "critical",
  rationale:
    "Anyone who can reach the Docker API controls the host as root. On a TCP socket only mutual TLS (tlsverify with a CA, certificate and key) keeps other machines and local users out.",
  remediation:
    'Prefer the unix socket (`"hosts": ["unix:///var/run/docker.sock"]`). If TCP is needed, listen on 2376 and set `"tlsverify": true`, `"tlscacert"`, `"tlscert"` and `"tlskey"`.',
  references: { cis: ["2.7"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  check(daemon) {
    const problem = tlsProblem(daemon);
    if (problem === undefined) return [];
    return daemon.hosts.flatMap((host, i) =>
      isTcpHost(host) ? [{ path: `hosts.${i}`, message: `daemon listens on ${host}: ${problem}` }] : [],
    );
  },
});
