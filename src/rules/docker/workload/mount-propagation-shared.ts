import { defineRule, PlatformScope } from "../../rule";

/** Propagation modes that copy the container's mounts back to the host. */
const SHARED = new Set(["shared", "rshared", "bidirectional"]);

export const mountPropagationShared = defineRule({
  id: "mount-propagation-shared",
  title: "Mounts do not use shared propagation",
  severity: "high",
  rationale:
    "With shared (Docker) or Bidirectional (Kubernetes) propagation, mounts made inside the container appear on the host and in other containers, letting the container alter the host's mount table.",
  remediation:
    "Remove the propagation setting (private is the default), or use `rslave` / `HostToContainer` if the container must see the host's later mounts.",
  references: { cis: ["5.20"], kics: ["baa452f0-1f21-4a25-ace5-844e7a5f410d"] },
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    return w.containers.flatMap((c, ci) =>
      c.mounts.flatMap((m, mi) =>
        m.propagation !== undefined && SHARED.has(m.propagation.toLowerCase())
          ? [
              {
                path: `containers.${ci}.mounts.${mi}.propagation`,
                message: `mount ${m.mountPath} in container "${c.name}" uses ${m.propagation} propagation`,
              },
            ]
          : [],
      ),
    );
  },
});
