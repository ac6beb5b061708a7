import { defineRule, PlatformScope } from "../../rule";
import { instructionPath, instructionsOf, runScript, shellCommands } from "./dockerfile";

export const dockerfileSudo = defineRule({
  id: "dockerfile-sudo",
  title: "RUN does not use sudo",
  severity: "medium",
  rationale:
    "sudo in an image means the image ships sudo and usually a user allowed to use it, a ready privilege escalation path; it also behaves unpredictably without a TTY.",
  remediation:
    "Run the privileged steps before switching USER (or with `USER root` around them); at runtime use a tool like gosu or su-exec if a process must drop privileges.",
  references: {
    checkov: ["CKV2_DOCKER_1"],
    hadolint: ["DL3004"],
    kics: ["8ada6e80-0ade-439e-b176-0b28f6bce35a"],
  },
  targets: ["build"],
  platforms: PlatformScope.Docker,
  check(build) {
    return instructionsOf(build, "RUN").flatMap(({ index, instruction }) =>
      shellCommands(runScript(instruction)).some((words) => {
        const first = words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
        return first === "sudo" || first?.endsWith("/sudo") === true;
      })
        ? [{ path: instructionPath(index), message: "RUN uses sudo" }]
        : [],
    );
  },
});
