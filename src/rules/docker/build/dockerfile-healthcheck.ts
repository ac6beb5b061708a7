import { defineRule, PlatformScope } from "../../rule";
import { effectiveInstruction, finalStage, instructionPath } from "./dockerfile";

export const dockerfileHealthcheck = defineRule({
  id: "dockerfile-healthcheck",
  title: "The image declares a HEALTHCHECK",
  severity: "low",
  rationale:
    "A health check lets the engine (and orchestrators reading the image config) notice a container that still runs but no longer works, and restart or replace it.",
  remediation:
    'Add a HEALTHCHECK to the final stage, e.g. `HEALTHCHECK --interval=30s --timeout=3s CMD ["/app", "healthcheck"]`.',
  references: {
    cis: ["4.6"],
    checkov: ["CKV_DOCKER_2"],
    hadolint: ["DL3057"],
    kics: ["b03a748a-542d-44f4-bb86-9199ab4fd2d5"],
  },
  targets: ["build"],
  platforms: PlatformScope.Docker,
  check(build) {
    const stage = finalStage(build);
    if (!stage) return [];
    const health = effectiveInstruction(build, stage, "HEALTHCHECK");
    if (!health) {
      return [
        { path: instructionPath(stage.from), message: "the final stage has no HEALTHCHECK instruction" },
      ];
    }
    if (/^none\b/i.test(health.instruction.text.trim())) {
      return [
        {
          path: instructionPath(health.index),
          message: "HEALTHCHECK NONE disables the image's health check",
        },
      ];
    }
    return [];
  },
});
