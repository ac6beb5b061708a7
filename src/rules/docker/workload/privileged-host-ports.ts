import { defineRule, PlatformScope } from "../../rule";

export const privilegedHostPorts = defineRule({
  id: "privileged-host-ports",
  title: "Containers are not published on privileged host ports",
  severity: "low",
  rationale:
    "Host ports below 1024 are reserved for system services; publishing a container there collides with them and usually means the container is exposed directly instead of behind a proxy.",
  remediation:
    "Publish on a host port of 1024 or above (e.g. `8080:80`) and put a reverse proxy or load balancer in front.",
  references: { cis: ["5.8"], kics: ["bc2908f3-f73c-40a9-8793-c1b7d5544f79"] },
  targets: ["workload"],
  platforms: PlatformScope.Docker,
  check(w) {
    // On Kubernetes every hostPort is already refused by host-ports.
    return w.containers.flatMap((c, ci) =>
      c.ports.flatMap((p, pi) =>
        p.hostPort !== undefined && p.hostPort > 0 && p.hostPort < 1024
          ? [
              {
                path: `containers.${ci}.ports.${pi}`,
                message: `container port ${p.containerPort} is published on privileged host port ${p.hostPort}`,
              },
            ]
          : [],
      ),
    );
  },
});
