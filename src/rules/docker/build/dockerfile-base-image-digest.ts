import { defineRule, PlatformScope } from "../../rule";
import { instructionPath } from "./dockerfile";

export const dockerfileBaseImageDigest = defineRule({
  id: "dockerfile-base-image-digest",
  title: "Base images are pinned by digest",
  severity: "low",
  rationale:
    "Tags can be moved; only a digest names the exact bytes that were reviewed and scanned. Pinning it keeps a re-pushed or hijacked tag out of the build.",
  remediation:
    "Append the digest to the reference (`docker buildx imagetools inspect debian:12.7-slim` shows it): `FROM debian:12.7-slim@sha256:…`, and let a bot such as Renovate update it.",
  references: {},
  targets: ["build"],
  platforms: PlatformScope.Docker,
  check(build) {
    return build.stages.flatMap((stage) => {
      const base = stage.base;
      if (!base || stage.baseIsStage || base.unparsed || base.digest) return [];
      return [
        { path: instructionPath(stage.from), message: `base image "${base.raw}" is not pinned by digest` },
      ];
    });
  },
});
