import type { Build } from "../../../model";
import { defineRule, PlatformScope, type Violation } from "../../rule";
import { effectiveInstruction, finalStage, instructionPath } from "./dockerfile";

/** `root`, `0`, `root:root`, `0:0`… */
function isRoot(user: string): boolean {
  const name = user.trim().split(":")[0]?.trim() ?? "";
  return name === "root" || name === "0";
}

export const dockerfileNonRootUser = defineRule({
  id: "dockerfile-non-root-user",
  title: "The image runs as a non-root user",
  severity: "high",
  rationale:
    "Without a USER (or with USER root) every container from the image runs its process as root, so any code execution bug hands an attacker root inside the container and one step from the host.",
  remediation:
    "Create an unprivileged user and switch to it in the final stage: `RUN useradd --uid 10001 --no-create-home app` then `USER 10001`.",
  references: {
    cis: ["4.1"],
    checkov: ["CKV_DOCKER_3", "CKV_DOCKER_8"],
    hadolint: ["DL3002"],
    kics: ["fd54f200-402c-4333-a5a4-36ef6709af2f", "67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae"],
  },
  differences: [
    {
      framework: "hadolint",
      id: "DL3002",
      note: "also reports a final stage with no USER at all, `FROM scratch` included (it runs as uid 0 too), not only an explicit last `USER root`.",
    },
  ],
  targets: ["build"],
  platforms: PlatformScope.Docker,
  check(build: Build): Violation[] {
    const stage = finalStage(build);
    // `FROM scratch` images usually hold one static binary; they still default to uid 0.
    if (!stage) return [];
    const user = effectiveInstruction(build, stage, "USER");
    if (!user) {
      return [
        {
          path: instructionPath(stage.from),
          message:
            "the final stage sets no USER, so the container runs as root (unless the base image changed it)",
          references: {
            checkov: ["CKV_DOCKER_3"],
            hadolint: [],
            kics: ["fd54f200-402c-4333-a5a4-36ef6709af2f"],
          },
        },
      ];
    }
    if (isRoot(user.instruction.text)) {
      return [
        {
          path: instructionPath(user.index),
          message: `the last USER is "${user.instruction.text.trim()}": the container runs as root`,
          references: { checkov: ["CKV_DOCKER_8"], kics: ["67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae"] },
        },
      ];
    }
    return [];
  },
});
