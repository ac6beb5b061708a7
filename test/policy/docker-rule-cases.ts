/** Docker-only workload rules, each with docker.Container props that violate it and that comply. */
export const DOCKER_RULE_CASES: Record<string, [Record<string, unknown>, Record<string, unknown>]> = {
  "host-user-namespace": [{ usernsMode: "host" }, {}],
  "ports-all-interfaces": [
    { ports: [{ internal: 8080, external: 18080 }] },
    { ports: [{ internal: 8080, external: 18080, ip: "127.0.0.1" }] },
  ],
  "privileged-host-ports": [
    { ports: [{ internal: 8080, external: 80, ip: "127.0.0.1" }] },
    { ports: [{ internal: 8080, external: 8080, ip: "127.0.0.1" }] },
  ],
  "restart-policy": [{ restart: "always", maxRetryCount: undefined }, {}],
  "pids-limit": [{ labels: [] }, {}],
  "default-bridge-network": [{ networksAdvanced: undefined }, {}],
  "host-devices": [{ devices: [{ hostPath: "/dev/kmsg" }] }, {}],
  "mount-propagation-shared": [
    {
      mounts: [
        { type: "bind", source: "/srv/data", target: "/data", bindOptions: { propagation: "rshared" } },
      ],
    },
    {
      mounts: [
        { type: "bind", source: "/srv/data", target: "/data", bindOptions: { propagation: "rslave" } },
      ],
    },
  ],
};
