import { defineRule, PlatformScope } from "../../rule";

export const daemonBaseDeviceSize = defineRule({
  id: "daemon-base-device-size",
  title: "The base device size is not changed",
  severity: "info",
  rationale:
    "Raising `dm.basesize` lets every container grow its filesystem larger, which can fill the host's storage pool and deny service to other containers.",
  remediation: "Remove `dm.basesize` from `storage-opts` unless a workload needs it.",
  references: { cis: ["2.11"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  check(daemon) {
    const opts = daemon.settings["storage-opts"];
    if (!Array.isArray(opts)) return [];
    return opts.flatMap((opt, i) =>
      typeof opt === "string" && opt.trim().toLowerCase().startsWith("dm.basesize")
        ? [
            {
              path: `settings.storage-opts.${i}`,
              message: `storage option "${opt}" changes the base device size`,
            },
          ]
        : [],
    );
  },
});
