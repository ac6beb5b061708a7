import { defineRule, PlatformScope } from "../../rule";
import { instructionPath } from "./dockerfile";

export const dockerfileBaseImageTag = defineRule({
  id: "dockerfile-base-image-tag",
  title: "Base images name a version",
  severity: "medium",
  rationale:
    "`FROM image` or `FROM image:latest` builds on whatever the registry serves that day: builds stop being reproducible and can silently pick up a broken or compromised base.",
  remediation: "Name a release tag and pin its digest: `FROM debian:12.7-slim@sha256:…`.",
  references: {
    checkov: ["CKV_DOCKER_7"],
    hadolint: ["DL3006", "DL3007"],
    kics: ["9efb0b2d-89c9-41a3-91ca-dcc0aec911fd", "f45ea400-6bbe-4501-9fc7-1c3d75c32067"],
  },
  targets: ["build"],
  platforms: PlatformScope.Docker,
  check(build) {
    return build.stages.flatMap((stage) => {
      const base = stage.base;
      if (!base || stage.baseIsStage || base.unparsed || base.digest) return [];
      if (base.tag === undefined) {
        return [
          {
            path: instructionPath(stage.from),
            message: `base image "${base.raw}" has no tag (it means :latest)`,
            references: { hadolint: ["DL3006"], kics: ["9efb0b2d-89c9-41a3-91ca-dcc0aec911fd"] },
          },
        ];
      }
      if (base.tag.toLowerCase() === "latest") {
        return [
          {
            path: instructionPath(stage.from),
            message: `base image "${base.raw}" uses the latest tag`,
            references: { hadolint: ["DL3007"], kics: ["f45ea400-6bbe-4501-9fc7-1c3d75c32067"] },
          },
        ];
      }
      return [];
    });
  },
});
