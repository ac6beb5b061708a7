/** An image reference split into the parts rules reason about. */
export interface ImageRef {
  /** The reference exactly as written. */
  raw: string;
  /** Registry host, when the reference names one (`registry.example.com:5000`). */
  registry?: string;
  /** Repository path without registry (`library/nginx`). */
  repository: string;
  tag?: string;
  /** `sha256:…` when pinned by digest. */
  digest?: string;
  /** True when the reference could not be parsed (e.g. contains an unresolved variable). */
  unparsed?: boolean;
  /**
   * True for a Docker engine's image ID (`sha256:<64 hex>`, the digest of the image's config):
   * content-addressed like a registry digest, but local to one engine and never pulled.
   */
  engineImageId?: boolean;
}

/** A Docker image ID as `docker run` and a container's image accept it. */
const ENGINE_IMAGE_ID = /^sha256:[a-f0-9]{64}$/;

// Grammar from the distribution reference spec: [registry/]path[:tag][@digest]
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/**
 * Parses an image reference. Returns `undefined` when it does not parse; callers decide
 * whether that is an error (component args) or a finding (audits of third-party files).
 */
export function parseImageRef(raw: string): ImageRef | undefined {
  const text = raw.trim();
  if (text === "" || /\s/.test(text)) return undefined;
  // Docker reads `sha256:<64 hex>` as an image ID, not as repository "sha256" with a tag.
  if (ENGINE_IMAGE_ID.test(text)) return { raw, repository: "", digest: text, engineImageId: true };
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split("/");
  let registry: string | undefined;
  const first = parts[0] ?? "";
  if (parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    registry = first;
    parts.shift();
  }
  if (parts.length === 0 || !parts.every((p) => PATH_COMPONENT.test(p))) return undefined;
  const ref: ImageRef = { raw, repository: parts.join("/") };
  if (registry !== undefined) ref.registry = registry;
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** Parses, or returns a reference marked `unparsed` that rules can still report on. */
export function imageRefOrUnparsed(raw: string): ImageRef {
  return parseImageRef(raw) ?? { raw, repository: raw, unparsed: true };
}
