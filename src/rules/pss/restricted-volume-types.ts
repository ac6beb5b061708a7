/**
 * Why: volume sources other than the core ephemeral/projected kinds and claims reach storage
 * directly from the node (NFS, iSCSI, cloud disks, gitRepo's host-side git, hostPath) without
 * the cluster's PersistentVolume controls. The standard (check `restrictedVolumes`) allows
 * only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected,
 * secret and — since 1.33, though the documentation lagged behind — image volumes; any other
 * source fails. A volume that names no source at all is an emptyDir: the API server defaults
 * it so before admission, and the adapter reads it that way. Docker bind mounts are hostPath
 * volumes in the model and fail here too; named volumes (claims) and tmpfs (emptyDir) pass.
 */
import { defineRule, PlatformScope } from "../rule";
import { quote } from "./effective";
import { PSS_CHANGES, type PssMinor } from "./versions";

const ALLOWED_VOLUME_TYPES: ReadonlySet<string> = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

function allowedVolumeType(type: string, version: PssMinor): boolean {
  return ALLOWED_VOLUME_TYPES.has(type) || (type === "image" && version >= PSS_CHANGES.imageVolumes.since);
}

export const restrictedVolumeTypes = defineRule({
  id: "restricted-volume-types",
  title: "Volumes use a core, cluster-controlled volume type",
  severity: "medium",
  rationale:
    "Volume types such as nfs, iscsi, cloud disks, gitRepo and hostPath attach node-level storage directly to the pod, outside the PersistentVolume controls an administrator sets.",
  remediation:
    "Use configMap, secret, downwardAPI, projected, emptyDir, ephemeral, csi, image or a persistentVolumeClaim backed by a PersistentVolume; Docker: use a named volume or tmpfs instead of a bind mount.",
  references: {
    pss: ["restrictedVolumes"],
  },
  pssLevel: "restricted",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w, ctx) {
    return w.volumes.flatMap((v, i) =>
      allowedVolumeType(v.type, ctx.pssVersion)
        ? []
        : [
            {
              path: `volumes.${i}`,
              message: `volume ${quote(v.name)} uses type ${quote(v.type)}, which the restricted level does not allow; use a Secret, ConfigMap, emptyDir, projected volume or a claim`,
            },
          ],
    );
  },
});
