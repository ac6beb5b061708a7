import { type ImageRef, parseImageRef } from "../model";
import { globToRegExp } from "./glob";

/** An image as evidence names it: a full reference, or only a digest (`sha256:…`). */
export type NamedImage = { ref: ImageRef } | { digest: string };

const BARE_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const DOCKER_HUB = "docker.io";

/**
 * Reads a value of an evidence property (`image`, `imageRef`, `digest`, …). A bare digest is
 * tested first: `sha256:…` would otherwise parse as repository `sha256` with a tag.
 */
export function namedImage(value: string): NamedImage | undefined {
  const text = value.trim();
  if (BARE_DIGEST.test(text)) return { digest: text.toLowerCase() };
  const ref = parseImageRef(text);
  return ref && { ref };
}

/**
 * The reference with Docker's defaults spelled out, so `nginx:1.27` and
 * `docker.io/library/nginx:1.27` are one image; a tag is implied only when there is no digest.
 */
export function canonicalImage(ref: ImageRef): string {
  if (ref.unparsed) return ref.raw.trim();
  const registry = ref.registry ?? DOCKER_HUB;
  const repository =
    registry === DOCKER_HUB && !ref.repository.includes("/") ? `library/${ref.repository}` : ref.repository;
  const tag = ref.tag ?? (ref.digest ? undefined : "latest");
  return `${registry}/${repository}${tag ? `:${tag}` : ""}${ref.digest ? `@${ref.digest.toLowerCase()}` : ""}`;
}

/**
 * Whether evidence names the container's image: by digest when both carry one (the content is
 * what was scanned or signed, whatever repository it sits in), else by the full reference. A
 * tag never stands for a digest, since the tag may have moved since the evidence was made.
 */
export function sameImage(image: ImageRef, evidence: NamedImage): boolean {
  const digest = image.unparsed ? undefined : image.digest?.toLowerCase();
  if ("digest" in evidence) return digest === evidence.digest;
  if (digest !== undefined && evidence.ref.digest !== undefined) {
    return digest === evidence.ref.digest.toLowerCase();
  }
  return canonicalImage(image) === canonicalImage(evidence.ref);
}

/** Whether a `verifiedImages` glob matches the image as written or in its canonical form. */
export function matchesImageGlob(image: ImageRef, globs: readonly string[]): string | undefined {
  const forms = [image.raw.trim(), canonicalImage(image)];
  return globs.find((g) => {
    const re = globToRegExp(g);
    return forms.some((f) => re.test(f));
  });
}
