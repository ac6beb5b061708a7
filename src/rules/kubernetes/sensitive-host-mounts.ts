/**
 * Why: some host directories are the node itself — its configuration, kernel interfaces,
 * devices, binaries and the kubelet's or runtime's state (credentials of every pod). Mounting
 * them, even read-only, leaks secrets; writable, it is a node takeover. The PSS rule
 * `host-path-volumes` forbids every host path; this rule singles out the ones that are an
 * escape on their own, at a higher severity, for users who allow host paths in general.
 */
import { defineRule, PlatformScope } from "../rule";
import { hostPathVolumesWhere, isAtOrBelow } from "./host-paths";

/** Directories that are sensitive themselves; subdirectories may be fine (`/usr/share/zoneinfo`). */
const EXACT = [
  "/",
  "/boot",
  "/dev",
  "/etc",
  "/lib",
  "/lib64",
  "/usr",
  "/bin",
  "/sbin",
  "/var",
  "/var/lib",
  "/home",
];

/** Trees where everything below is sensitive. */
const TREES = [
  "/proc",
  "/sys",
  "/boot",
  "/root",
  "/etc/kubernetes",
  "/etc/ssh",
  "/etc/shadow",
  "/etc/sudoers",
  "/var/lib/kubelet",
  "/var/lib/docker",
  "/var/lib/containerd",
  "/var/lib/etcd",
];

function isSensitive(path: string): boolean {
  return EXACT.includes(path) || TREES.some((t) => isAtOrBelow(path, t));
}

export const sensitiveHostMounts = defineRule({
  id: "sensitive-host-mounts",
  title: "Containers do not mount sensitive host directories",
  severity: "high",
  rationale:
    "Host directories such as /, /etc, /proc, /sys, /dev, /boot or the kubelet's and container runtime's state hold node credentials, kernel interfaces and every other workload's data; mounting them exposes or lets the container rewrite the node.",
  remediation:
    "Remove the mount. Give the container the specific files it needs through a ConfigMap/Secret or a dedicated volume instead of a host directory.",
  references: {
    cis: ["5.6"],
    kubeLinter: ["sensitive-host-mounts"],
    kics: ["1c1325ff-831d-43a1-973e-839ae57dfcc0"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    return hostPathVolumesWhere(w, isSensitive).map(({ volume: v, modelPath }) => ({
      path: modelPath,
      message: `volume "${v.name}" mounts the sensitive host directory "${v.hostPath}"; remove it and provide only the files the container needs`,
    }));
  },
});
