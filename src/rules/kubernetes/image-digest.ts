/**
 * Why: a tag is a mutable pointer — the registry (or anyone who can push to it) can move it.
 * Only a digest guarantees that what was scanned and signed is what runs.
 */
import { defineRule, PlatformScope } from "../rule";
import { containerLabel, eachContainer } from "./workload-scope";

export const imageDigest = defineRule({
  id: "image-digest",
  title: "Images are pinned by digest",
  severity: "low",
  rationale:
    "Tags can be moved to different content at any time; a digest identifies exactly the image that was built, scanned and approved, so a compromised or careless push cannot change what runs.",
  remediation:
    "Reference the image by digest (`registry.example.com/app@sha256:…`, optionally keeping the tag for readability: `app:1.4.2@sha256:…`).",
  references: {
    checkov: ["CKV_K8S_43"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    return eachContainer(w).flatMap(({ container, path }) => {
      const image = container.image;
      if (!image || image.unparsed || image.digest) return [];
      return [
        {
          path: `${path}.image`,
          message: `${containerLabel(container)} uses image "${image.raw}" by tag; pin it by digest (${image.repository}@sha256:…)`,
        },
      ];
    });
  },
});
