import { defineRule, PlatformScope } from "../../rule";

export const pidsLimit = defineRule({
  id: "pids-limit",
  title: "The number of processes is limited",
  severity: "medium",
  rationale:
    "Without a PIDs limit one container (a fork bomb, a leak) can create processes until the host's process table is full and nothing else can start.",
  remediation: "Set `pids_limit: 200` (Compose), `--pids-limit=200` (docker run), sized for the application.",
  references: { cis: ["5.29"], kics: ["221e0658-cb2a-44e3-b08a-db96a341d6fa"] },
  targets: ["workload"],
  platforms: PlatformScope.Docker,
  check(w) {
    // Kubernetes limits PIDs per node/pod in the kubelet, not in the pod spec.
    return w.containers.flatMap((c, i) => {
      const limit = c.resources.pidsLimit;
      if (limit !== undefined && limit > 0) return [];
      return [
        {
          path: `containers.${i}.resources.pidsLimit`,
          message:
            limit === undefined
              ? `container "${c.name}" has no PIDs limit`
              : `container "${c.name}" has PIDs limit ${limit}, which means unlimited`,
        },
      ];
    });
  },
});
