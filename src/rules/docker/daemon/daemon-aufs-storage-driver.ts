import { defineRule, PlatformScope } from "../../rule";

export const daemonAufsStorageDriver = defineRule({
  id: "daemon-aufs-storage-driver",
  title: "The aufs storage driver is not used",
  severity: "medium",
  rationale:
    "aufs is removed from current Docker releases and its kernel module is unmaintained; it has had kernel crashes and privilege-related bugs that will not be fixed.",
  remediation: 'Use `"storage-driver": "overlay2"` (or remove the setting to get the default).',
  references: { cis: ["2.6"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  check(daemon) {
    if (daemon.storageDriver?.toLowerCase() !== "aufs") return [];
    return [{ path: "storageDriver", message: 'storage-driver is "aufs"; use "overlay2"' }];
  },
});
