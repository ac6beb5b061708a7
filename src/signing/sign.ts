import { type KeyObject, sign, verify } from "node:crypto";
import type { ManifestJson, RegistryClient } from "../registry/client";
import { sha256Digest } from "../registry/client";
import {
  parsePayload,
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
  signatureImage,
  signatureLayers,
  signatureTag,
  simpleSigningPayload,
} from "./cosign-format";

export interface SignResult {
  /** `sha256-<hex>.sig`, in the image's repository. */
  signatureTag: string;
  /** The digest of the `.sig` manifest after signing. */
  signatureManifestDigest: string;
  /** The digest of the signed payload. */
  payloadDigest: string;
  /** Whether a signature of this key over this payload was there already (nothing was written). */
  alreadySigned: boolean;
}

/**
 * Signs `repository@digest` in cosign's format with an ECDSA P-256 key: the simple-signing
 * payload, an ASN.1 DER signature over its SHA-256, and a layer added to the digest's `.sig`
 * image (kept signatures of other keys stay). Signing twice with one key changes nothing.
 */
export async function signImage(
  client: RegistryClient,
  repository: string,
  digest: string,
  privateKey: KeyObject,
  publicKey: KeyObject,
): Promise<SignResult> {
  const tag = signatureTag(digest);
  const existing = await client.getManifest(repository, tag);
  const kept = existing ? (existing.json.layers ?? []) : [];
  // ECDSA signatures are randomized, so "signed already" means: a layer whose payload claims this
  // digest and whose signature verifies with this key.
  const mine = existing ? await layersSignedBy(client, repository, existing.json, publicKey) : [];
  const already = mine.find(
    (l) => parsePayload(l.payload)?.critical.image["docker-manifest-digest"] === digest,
  );
  if (already) {
    return {
      signatureTag: tag,
      signatureManifestDigest: existing?.digest ?? "",
      payloadDigest: already.digest,
      alreadySigned: true,
    };
  }
  const payload = simpleSigningPayload(`${client.registry}/${repository}`, digest);
  const signature = sign("sha256", payload, { key: privateKey, dsaEncoding: "der" }).toString("base64");
  const payloadDigest = await client.pushBlob(repository, payload);
  const layers = [
    ...kept,
    {
      mediaType: SIMPLE_SIGNING_MEDIA_TYPE,
      size: payload.length,
      digest: payloadDigest,
      annotations: { [SIGNATURE_ANNOTATION]: signature },
    },
  ];
  const image = signatureImage(layers);
  await client.pushBlob(repository, image.config);
  const manifestDigest = await client.putManifest(
    repository,
    tag,
    "application/vnd.oci.image.manifest.v1+json",
    image.manifest,
  );
  return {
    signatureTag: tag,
    signatureManifestDigest: manifestDigest || sha256Digest(image.manifest),
    payloadDigest,
    alreadySigned: false,
  };
}

/**
 * Removes the signatures a key made over `digest` (others stay); the `.sig` image goes when
 * none is left. Returns how many were removed.
 */
export async function removeSignatures(
  client: RegistryClient,
  repository: string,
  digest: string,
  publicKey: KeyObject,
): Promise<number> {
  const tag = signatureTag(digest);
  const existing = await client.getManifest(repository, tag);
  if (!existing) return 0;
  const ours = new Set(
    (await layersSignedBy(client, repository, existing.json, publicKey)).map((l) => l.signature),
  );
  if (ours.size === 0) return 0;
  const signatureOf = (l: { annotations?: Record<string, string> }) =>
    l.annotations?.[SIGNATURE_ANNOTATION] ?? "";
  const kept = (existing.json.layers ?? []).filter((l) => !ours.has(signatureOf(l)));
  if (kept.length === 0) {
    await client.deleteManifest(repository, existing.digest);
  } else {
    const image = signatureImage(kept);
    await client.pushBlob(repository, image.config);
    await client.putManifest(repository, tag, "application/vnd.oci.image.manifest.v1+json", image.manifest);
  }
  return ours.size;
}

/** The signature layers of a `.sig` manifest whose signature verifies with `publicKey`, with their payloads. */
async function layersSignedBy(
  client: RegistryClient,
  repository: string,
  manifest: ManifestJson,
  publicKey: KeyObject,
): Promise<Array<{ digest: string; signature: string; payload: Buffer }>> {
  const out: Array<{ digest: string; signature: string; payload: Buffer }> = [];
  for (const layer of signatureLayers(manifest)) {
    const payload = await client.getBlob(repository, layer.digest).catch(() => undefined);
    if (payload && verify("sha256", payload, publicKey, Buffer.from(layer.signature, "base64"))) {
      out.push({ digest: layer.digest, signature: layer.signature, payload });
    }
  }
  return out;
}
