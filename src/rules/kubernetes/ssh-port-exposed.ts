/**
 * Why: port 22 on a container almost always means an SSH daemon inside it — a second,
 * long-lived remote login path that bypasses the orchestrator's audited `exec`, carries its
 * own keys and is rarely patched. UDP 22 is not SSH, so only TCP (the default) is reported.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { containerLabel, eachContainer } from "./workload-scope";

const SSH_PORT = 22;

export const sshPortExposed = defineRule({
  id: "ssh-port-exposed",
  title: "Containers do not expose SSH (port 22)",
  severity: "low",
  rationale:
    "An SSH server in a container is an extra way in with its own credentials, outside the audited `kubectl exec` / `docker exec` path, and is one more daemon to patch.",
  remediation:
    "Remove the SSH server and port 22; use `kubectl exec` / `docker exec` (or an ephemeral debug container) for interactive access. If the workload is an SSH service by design, suppress this rule with the reason.",
  references: {
    kubeLinter: ["ssh-port"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    const out: Violation[] = [];
    for (const { container, path } of eachContainer(w)) {
      container.ports.forEach((p, j) => {
        const tcp = (p.protocol ?? "TCP").toUpperCase() === "TCP";
        if (!tcp || (p.containerPort !== SSH_PORT && p.hostPort !== SSH_PORT)) return;
        out.push({
          path: `${path}.ports.${j}`,
          message: `${containerLabel(container)} exposes TCP port 22 (SSH); remove the SSH server and use exec for access`,
        });
      });
    }
    return out;
  },
});
