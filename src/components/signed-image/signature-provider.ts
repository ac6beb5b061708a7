import type * as pulumi from "@pulumi/pulumi";
import { REGISTRY_MODULE, SIGNING_MODULE, TS_HOOK } from "./runtime";
import type { SignatureInputs, SignatureOutputs } from "./types";

function modules(): { reg: typeof import("../../registry"); sig: typeof import("../../signing") } {
  if (TS_HOOK) require(TS_HOOK).register();
  return {
    reg: require(REGISTRY_MODULE) as typeof import("../../registry"),
    sig: require(SIGNING_MODULE) as typeof import("../../signing"),
  };
}

/** Signs in this process with Node's crypto: the key never reaches a child process, argv or env. */
async function signNow(inputs: SignatureInputs): Promise<SignatureOutputs> {
  const { reg, sig } = modules();
  const target = reg.parseRegistryReference(inputs.repository, "repository");
  const client = new reg.RegistryClient(target.registry, { insecure: inputs.insecure });
  const privateKey = sig.loadPrivateKey(inputs.privateKeyPem, "SignedImage's signing key");
  const publicKey = sig.loadPublicKey(inputs.publicKeyPem, "SignedImage's public key");
  const signed = await sig.signImage(client, target.repository, inputs.digest, privateKey, publicKey);
  // The outputs never carry the private key.
  return {
    repository: inputs.repository,
    digest: inputs.digest,
    publicKeyPem: inputs.publicKeyPem,
    insecure: inputs.insecure,
    signatureTag: signed.signatureTag,
    payloadDigest: signed.payloadDigest,
  };
}

/** The dynamic provider of SignedImage's signature: one cosign-format signature per (digest, key). */
export const signatureProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: SignatureInputs) {
    const outs = await signNow(inputs);
    return { id: `${outs.repository}@${outs.digest}#${outs.payloadDigest}`, outs };
  },

  async diff(_id: string, olds: SignatureOutputs, news: SignatureInputs) {
    const changed = (["repository", "digest", "publicKeyPem", "insecure"] as const).filter(
      (k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null),
    );
    return { changes: changed.length > 0, replaces: changed, deleteBeforeReplace: false };
  },

  /** Removes this key's signatures of the digest; other keys' signatures stay. */
  async delete(_id: string, olds: SignatureOutputs) {
    const { reg, sig } = modules();
    const target = reg.parseRegistryReference(olds.repository, "repository");
    const client = new reg.RegistryClient(target.registry, { insecure: olds.insecure });
    await sig.removeSignatures(client, target.repository, olds.digest, sig.loadPublicKey(olds.publicKeyPem));
  },
};
