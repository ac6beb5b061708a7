import { defineRule, PlatformScope } from "../../rule";
import { instructionPath, instructionsOf, program, runScript, shellCommands } from "./dockerfile";

export const dockerfileChpasswd = defineRule({
  id: "dockerfile-chpasswd",
  title: "RUN does not set passwords with chpasswd",
  severity: "high",
  rationale:
    "A password set at build time is written into the image layers and shared by every container; anyone with the image can read the hash or the plain text from the Dockerfile.",
  remediation:
    "Do not give image users passwords. Use key-based access provided at runtime, or lock the account (`passwd -l`).",
  references: { checkov: ["CKV2_DOCKER_17"] },
  targets: ["build"],
  platforms: PlatformScope.Docker,
  check(build) {
    return instructionsOf(build, "RUN").flatMap(({ index, instruction }) =>
      shellCommands(runScript(instruction)).some((words) => program(words)?.name === "chpasswd")
        ? [{ path: instructionPath(index), message: "RUN sets a password with chpasswd" }]
        : [],
    );
  },
});
