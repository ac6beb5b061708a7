/**
 * Why: a hostPath volume exposes part of the node's filesystem to the container — the
 * kubelet's credentials, the container runtime's socket, other pods' data. The standard
 * (check `hostPathVolumes`) forbids any volume with a `hostPath` source, whatever the path.
 * Docker bind mounts (including the Docker socket) map to hostPath volumes in the model and
 * are reported the same way. No automatic fix: the data has to live somewhere else.
 */
import { defineRule, PlatformScope } from "../rule";
import { quote } from "./effective";

export const hostPathVolumes = defineRule({
  id: "host-path-volumes",
  title: "Workloads do not mount host paths",
  severity: "high",
  rationale:
    "A host path mount lets the container read or change files of the node itself: credentials, the container runtime's socket, logs and other workloads' data.",
  remediation:
    "Replace the hostPath volume (Docker: bind mount) with an emptyDir, a ConfigMap/Secret, or a persistent volume claim (Docker: a named volume).",
  references: {
    pss: ["hostPathVolumes"],
    kubeLinter: ["writable-host-mount"],
    polaris: ["hostPathSet"],
  },
  pssLevel: "baseline",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    return w.volumes.flatMap((v, i) =>
      v.type === "hostPath"
        ? [
            {
              path: `volumes.${i}.hostPath`,
              message: `volume ${quote(v.name)} mounts host path ${quote(v.hostPath ?? "")}; use an emptyDir, a Secret/ConfigMap or a volume claim instead`,
            },
          ]
        : [],
    );
  },
});
