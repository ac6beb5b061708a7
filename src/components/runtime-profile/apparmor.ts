import { profileName } from "./seccomp";
import { type AppType, ProfileTemplate } from "./syscalls";

/**
 * AppArmor profile text for hosts that have AppArmor (load it with `apparmor_parser -r`, then
 * run containers with `apparmor=<name>` / Kubernetes `appArmorProfile: Localhost`).
 * It allows ordinary file and network access inside the container and denies what reaches the
 * host: mounts, ptrace, raw kernel interfaces under /proc and /sys, and writes to the image.
 */
export function appArmorProfile(appType: AppType, template: ProfileTemplate): string {
  const name = profileName(appType, template);
  const network =
    template === ProfileTemplate.Strict
      ? [
          "  network inet stream,",
          "  network inet6 stream,",
          "  network inet dgram,",
          "  network inet6 dgram,",
          "  network unix,",
        ]
      : ["  network,"];
  return [
    "#include <tunables/global>",
    "",
    `profile ${name} flags=(attach_disconnected,mediate_deleted) {`,
    "  #include <abstractions/base>",
    "",
    ...network,
    "  deny network raw,",
    "  deny network packet,",
    "  file,",
    "  umount,",
    "",
    "  deny mount,",
    "  deny pivot_root,",
    "  deny ptrace,",
    "  signal (receive) peer=unconfined,",
    `  signal (send,receive) peer=${name},`,
    "",
    "  deny @{PROC}/sys/** w,",
    "  deny @{PROC}/sysrq-trigger rwklx,",
    "  deny @{PROC}/kcore rwklx,",
    "  deny @{PROC}/kmem rwklx,",
    "  deny @{PROC}/mem rwklx,",
    "  deny /sys/** wklx,",
    "  deny /sys/firmware/** rwklx,",
    "  deny /sys/kernel/security/** rwklx,",
    `  # application type: ${appType}; template: ${template}`,
    "}",
    "",
  ].join("\n");
}
