import { type KeyObject, verify } from "node:crypto";
import type { RegistryClient } from "../registry/client";
import { RegistryError } from "../registry/errors";
import { COSIGN_SIGNATURE_TYPE, parsePayload, signatureLayers, signatureTag } from "./cosign-format";
import { VerificationError, VerificationFailure } from "./errors";

export interface VerifiedImage {
  /** The manifest digest that verified. */
  digest: string;
  /** The digests of the payloads whose signatures verified. */
  payloadDigests: string[];
  /** How many signature layers the `.sig` image holds (verified or not). */
  signatures: number;
}

export interface VerifyOptions {
  /** The digest that was signed: a tag that now names other content fails as TagMoved. */
  expectedDigest?: string;
}

/**
 * Verifies an image's cosign signatures against public keys: resolves the tag (or takes the
 * digest), reads `sha256-<hex>.sig`, checks each signature layer's payload bytes against its
 * digest, its signature against every key, and its claim against the image's digest. Passes
 * when at least one signature holds; otherwise throws a VerificationError saying why each failed.
 */
export async function verifyImage(
  client: RegistryClient,
  repository: string,
  reference: string,
  publicKeys: readonly KeyObject[],
  options: VerifyOptions = {},
): Promise<VerifiedImage> {
  const image = `${client.registry}/${repository}${reference.startsWith("sha256:") ? "@" : ":"}${reference}`;
  const resolved = await client.resolve(repository, reference);
  if (!resolved) {
    throw new VerificationError(
      VerificationFailure.ImageMissing,
      `${image} is not in the registry ${client.registry}`,
    );
  }
  const digest = resolved.digest;
  if (options.expectedDigest && digest !== options.expectedDigest) {
    throw new VerificationError(
      VerificationFailure.TagMoved,
      `${image} now names ${digest}, not the signed ${options.expectedDigest}: the tag was pushed again with other content; use the image by digest, or sign the new content`,
    );
  }
  const sigTag = signatureTag(digest);
  const sig = await client.getManifest(repository, sigTag);
  const layers = sig ? signatureLayers(sig.json) : [];
  if (layers.length === 0) {
    throw new VerificationError(
      VerificationFailure.NoSignatures,
      `${client.registry}/${repository}@${digest} has no signatures (${sig ? `${sigTag} holds no signature layer` : `no ${sigTag} tag`}): sign it (shipshape image sign, or cosign sign)`,
    );
  }
  const reasons: string[] = [];
  const payloadDigests: string[] = [];
  let claimMismatch = false;
  for (const [i, layer] of layers.entries()) {
    let payload: Buffer;
    try {
      payload = await client.getBlob(repository, layer.digest);
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      reasons.push(`signature ${i + 1}: its payload cannot be read (${error.message})`);
      continue;
    }
    const signature = Buffer.from(layer.signature, "base64");
    if (!publicKeys.some((key) => verify("sha256", payload, key, signature))) {
      reasons.push(
        `signature ${i + 1}: does not verify against the ${publicKeys.length === 1 ? "public key" : `${publicKeys.length} public keys`} (another key signed it, or the signature was altered)`,
      );
      continue;
    }
    const claims = parsePayload(payload);
    const claimed = claims?.critical.image["docker-manifest-digest"];
    if (!claims || claims.critical.type !== COSIGN_SIGNATURE_TYPE || claimed !== digest) {
      claimMismatch = true;
      reasons.push(
        `signature ${i + 1}: verifies, but its payload claims ${claimed ?? "no image"}, not ${digest}`,
      );
      continue;
    }
    payloadDigests.push(layer.digest);
  }
  if (payloadDigests.length === 0) {
    throw new VerificationError(
      claimMismatch ? VerificationFailure.ClaimMismatch : VerificationFailure.SignatureMismatch,
      `${client.registry}/${repository}@${digest} did not verify: ${reasons.join("; ")}`,
    );
  }
  return { digest, payloadDigests, signatures: layers.length };
}
