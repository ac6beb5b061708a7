import { defineRule, PlatformScope } from "../../rule";

export const daemonSeccompProfile = defineRule({
  id: "daemon-seccomp-profile",
  title: "The daemon-wide seccomp profile is not disabled",
  severity: "high",
  rationale:
    "`seccomp-profile: unconfined` removes the system-call filter from every container that does not bring its own, exposing the whole kernel API to them.",
  remediation:
    "Remove `seccomp-profile` to use Docker's default profile, or point it at a custom profile file.",
  references: { cis: ["2.17"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  check(daemon) {
    if (daemon.seccompProfile?.trim().toLowerCase() !== "unconfined") return [];
    return [
      {
        path: "seccompProfile",
        message: "seccomp-profile is unconfined: containers run without a syscall filter",
      },
    ];
  },
});
