/**
 * Why: `latest` (or no tag, which means `latest`) names whatever was pushed last. Two nodes can
 * run different code under the same spec, a rollback does not roll back, and an attacker who
 * can push to the repository changes what runs on the next pull. A digest pins the image even
 * without a tag, so digest-pinned references pass.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { containerLabel, eachContainer } from "./workload-scope";

export const imageLatestTag = defineRule({
  id: "image-latest-tag",
  title: "Images name a fixed tag, not `latest` or none",
  severity: "medium",
  rationale:
    "A missing or `latest` tag is a moving target: what runs depends on when the image was pulled, rollbacks do not restore the old code, and whoever can push to the repository changes production on the next restart.",
  remediation: "Reference a version tag (`nginx:1.27.3`), or better a digest (`nginx@sha256:…`).",
  references: {
    kubeLinter: ["latest-tag"],
    checkov: ["CKV_K8S_14"],
    polaris: ["tagNotSpecified"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    const out: Violation[] = [];
    for (const { container, path } of eachContainer(w)) {
      const image = container.image;
      if (!image || image.unparsed || image.digest) continue;
      if (image.tag === undefined) {
        out.push({
          path: `${path}.image`,
          message: `${containerLabel(container)} uses image "${image.raw}" without a tag, which means "latest"; name a version tag or a digest`,
        });
      } else if (image.tag === "latest") {
        out.push({
          path: `${path}.image`,
          message: `${containerLabel(container)} uses image "${image.raw}" with the moving tag "latest"; name a version tag or a digest`,
        });
      }
    }
    return out;
  },
});
