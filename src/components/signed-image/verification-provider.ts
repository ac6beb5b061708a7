import type * as pulumi from "@pulumi/pulumi";
import { REGISTRY_MODULE, SIGNING_MODULE, TS_HOOK, UNKNOWN } from "./runtime";
import type { VerificationInputs, VerificationOutputs } from "./types";

const COMPARED = [
  "repository",
  "digest",
  "imageRef",
  "publicKeyPem",
  "payloadDigest",
  "insecure",
  "signatures",
] as const;

function hasUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value === null || typeof value !== "object") return false;
  return Object.values(value as Record<string, unknown>).some(hasUnknown);
}

async function verifyNow(inputs: VerificationInputs): Promise<VerificationOutputs> {
  if (TS_HOOK) require(TS_HOOK).register();
  const reg = require(REGISTRY_MODULE) as typeof import("../../registry");
  const sig = require(SIGNING_MODULE) as typeof import("../../signing");
  const target = reg.parseRegistryReference(inputs.repository, "repository");
  const client = new reg.RegistryClient(target.registry, { insecure: inputs.insecure });
  const key = sig.loadPublicKey(inputs.publicKeyPem, "SignedImage's public key");
  const verified = await sig.verifyImage(client, target.repository, inputs.digest, [key]);
  return { ...inputs, verified: true, signatures: verified.signatures };
}

/**
 * The dynamic provider of SignedImage's verification. It verifies in `check`, which Pulumi runs
 * in every preview and `up` once the digest and signature are known, so an image whose signature
 * is gone, altered or made with another key fails the deployment before any consumer (which
 * takes the verified `imageRef`) is created or updated.
 */
export const verificationProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: Partial<VerificationOutputs>, news: VerificationInputs) {
    if (hasUnknown(news)) return { inputs: news };
    try {
      return { inputs: await verifyNow(news) };
    } catch (error) {
      return {
        inputs: news,
        failures: [{ property: "digest", reason: `SignedImage verification: ${(error as Error).message}` }],
      };
    }
  },

  async create(inputs: VerificationOutputs) {
    return { id: `verified-${inputs.imageRef}`, outs: inputs };
  },

  async diff(_id: string, olds: VerificationOutputs, news: VerificationOutputs) {
    const changed = COMPARED.filter(
      (k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null),
    );
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  },

  async update(_id: string, _olds: VerificationOutputs, news: VerificationOutputs) {
    return { outs: news };
  },

  async delete() {
    // Verifying leaves nothing behind.
  },
};
