import { parseImageRef } from "../../model/image";
import { PlatformKind } from "../../platform/platform";
import type { ArgsIssue } from "../validation/issues";

export interface ImageCheck {
  issues: ArgsIssue[];
  /** Set when the image is usable but not pinned by digest. */
  warning?: string;
  /** The tag of an image not pinned by digest (`undefined`: none, i.e. latest); `null` when pinned. */
  tag: string | undefined | null;
}

/** Checks an image reference for a platform: it must parse, and Kubernetes needs a digest unless overridden. */
export function checkImage(image: unknown, kind: PlatformKind, mutableTagAllowed: boolean): ImageCheck {
  if (typeof image !== "string")
    return {
      issues: [
        {
          path: "image",
          value: image,
          message: 'image must be a string such as "registry.example.com/team/app@sha256:…"',
        },
      ],
      tag: null,
    };
  const ref = image.includes("\0") ? undefined : parseImageRef(image);
  if (!ref) {
    return {
      issues: [
        {
          path: "image",
          value: image,
          message:
            'image reference does not parse; write [registry/]repository[:tag][@sha256:<64 hex>] in lowercase, e.g. "registry.example.com/team/app@sha256:…"',
        },
      ],
      tag: null,
    };
  }
  if (ref.engineImageId && kind === PlatformKind.Kubernetes) {
    return {
      issues: [
        {
          path: "image",
          value: image,
          message:
            "a Docker engine's image ID exists on that engine only, and a cluster cannot pull it; push the image to a registry and use repository@sha256:<digest>",
        },
      ],
      tag: null,
    };
  }
  if (ref.digest) return { issues: [], tag: null };
  if (kind === PlatformKind.Kubernetes && !mutableTagAllowed) {
    return {
      issues: [
        {
          path: "image",
          value: image,
          message:
            "Kubernetes deployments pin images by digest; write repository@sha256:<digest>, or set overrides.mutableImageTag with a reason",
        },
      ],
      tag: ref.tag,
    };
  }
  return {
    issues: [],
    tag: ref.tag,
    warning: `image ${JSON.stringify(image)} is not pinned by digest: the tag can move to other content; pin it as repository@sha256:<digest>`,
  };
}
