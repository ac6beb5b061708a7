/**
 * Cosign's signature format for a key-signed image (the "legacy" layout cosign 2.x writes by
 * default and every version verifies): a simple-signing payload naming the image's manifest
 * digest, signed with the key, stored as a layer of an OCI image tagged `sha256-<hex>.sig` in
 * the image's repository, with the base64 signature in the layer's annotation.
 */
import type { Descriptor, ManifestJson } from "../registry/client";
import { sha256Digest } from "../registry/client";

export const SIMPLE_SIGNING_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
export const SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
export const COSIGN_SIGNATURE_TYPE = "cosign container image signature";
export const OCI_MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
export const OCI_CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";

/** The payload cosign signs: what the signature claims about which content. */
export interface SimpleSigningPayload {
  critical: {
    identity: { "docker-reference": string };
    image: { "docker-manifest-digest": string };
    type: string;
  };
  optional: Record<string, unknown> | null;
}

/** The tag a digest's signatures live under: `sha256:<hex>` → `sha256-<hex>.sig`. */
export function signatureTag(digest: string): string {
  const [algorithm, hex] = digest.split(":");
  if (!algorithm || !hex) throw new Error(`${JSON.stringify(digest)} is not a digest (algorithm:hex)`);
  return `${algorithm}-${hex}.sig`;
}

/** The payload bytes for an image: `repository` is `registry/repository`, without tag or digest. */
export function simpleSigningPayload(repository: string, digest: string): Buffer {
  const payload: SimpleSigningPayload = {
    critical: {
      identity: { "docker-reference": repository },
      image: { "docker-manifest-digest": digest },
      type: COSIGN_SIGNATURE_TYPE,
    },
    optional: null,
  };
  return Buffer.from(JSON.stringify(payload), "utf8");
}

/** Reads a payload; undefined when it is not a simple-signing document. */
export function parsePayload(bytes: Buffer): SimpleSigningPayload | undefined {
  try {
    const p = JSON.parse(bytes.toString("utf8")) as SimpleSigningPayload;
    const digest = p?.critical?.image?.["docker-manifest-digest"];
    return typeof digest === "string" && typeof p.critical.type === "string" ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The signature layers of a `.sig` manifest: simple-signing layers that carry a signature. */
export function signatureLayers(manifest: ManifestJson): Array<Descriptor & { signature: string }> {
  return (manifest.layers ?? []).flatMap((l) => {
    const signature = l.annotations?.[SIGNATURE_ANNOTATION];
    return l.mediaType === SIMPLE_SIGNING_MEDIA_TYPE && typeof signature === "string"
      ? [{ ...l, signature }]
      : [];
  });
}

/**
 * The `.sig` image for a set of signature layers: its config lists each payload as a layer
 * (as an OCI image's config does), with the zero times cosign writes, so the same signatures
 * give the same bytes.
 */
export function signatureImage(layers: readonly Descriptor[]): { config: Buffer; manifest: Buffer } {
  const zero = "0001-01-01T00:00:00Z";
  const config = Buffer.from(
    JSON.stringify({
      architecture: "",
      created: zero,
      history: layers.map(() => ({ created: zero })),
      os: "",
      rootfs: { type: "layers", diff_ids: layers.map((l) => l.digest) },
      config: {},
    }),
    "utf8",
  );
  const manifest: ManifestJson = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    config: { mediaType: OCI_CONFIG_MEDIA_TYPE, size: config.length, digest: sha256Digest(config) },
    layers: layers.map((l) => ({
      mediaType: l.mediaType,
      size: l.size,
      digest: l.digest,
      ...(l.annotations ? { annotations: l.annotations } : {}),
    })),
  };
  return { config, manifest: Buffer.from(JSON.stringify(manifest), "utf8") };
}
