/**
 * Interoperability with the real cosign (v2.6.5, built from the Go module proxy by setup), offline:
 * cosign verifies what shipshape signed, shipshape verifies what cosign signed, and neither
 * accepts the other's signature under the wrong key or after the signature was altered.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RegistryClient } from "../../src/registry";
import {
  generateSigningKeyPair,
  loadPrivateKey,
  loadPublicKey,
  SIGNATURE_ANNOTATION,
  signatureImage,
  signImage,
  VerificationFailure,
  verifyImage,
} from "../../src/signing";
import { cosign, requireCosign, requireRegistry, seedImage, uniqueRepo } from "./helpers";

describe("cosign interoperability (real cosign, real registry)", () => {
  let client: RegistryClient;
  let dir: string;
  const ours = generateSigningKeyPair();
  const stranger = generateSigningKeyPair();

  beforeAll(async () => {
    requireCosign();
    client = await requireRegistry();
    dir = mkdtempSync(join(tmpdir(), "shipshape-cosign-"));
    writeFileSync(join(dir, "ours.pub"), ours.publicKeyPem);
    writeFileSync(join(dir, "stranger.pub"), stranger.publicKeyPem);
    // cosign's own key pair, encrypted with an empty test password (cosign reads it from its env).
    const gen = await cosign(["generate-key-pair"], { cwd: dir, env: { COSIGN_PASSWORD: "" } });
    expect(gen.code, gen.output).toBe(0);
  }, 120_000);

  /** `cosign sign` with cosign's own key, offline. */
  const signWithCosign = async (ref: string) => {
    const signed = await cosign(
      ["sign", "--key", join(dir, "cosign.key"), "--tlog-upload=false", "--yes", ref],
      {
        cwd: dir,
        env: { COSIGN_PASSWORD: "" },
      },
    );
    expect(signed.code, signed.output).toBe(0);
  };

  const verifyWithCosign = (key: string, ref: string) =>
    cosign(["verify", "--key", join(dir, key), "--insecure-ignore-tlog=true", "--output", "json", ref]);

  it("cosign verifies an image shipshape signed, and refuses it under another key", async () => {
    const repo = uniqueRepo("interop-ours");
    const digest = await seedImage(client, repo, "v1");
    await signImage(
      client,
      repo,
      digest,
      loadPrivateKey(ours.privateKeyPem),
      loadPublicKey(ours.publicKeyPem),
    );
    const ref = `${client.registry}/${repo}@${digest}`;
    const ok = await verifyWithCosign("ours.pub", ref);
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toContain(`"docker-manifest-digest":"${digest}"`);
    expect(ok.output).toContain("The signatures were verified against the specified public key");
    const wrong = await verifyWithCosign("stranger.pub", ref);
    expect(wrong.code).not.toBe(0);
    expect(wrong.output).toMatch(/no matching signatures|invalid signature/i);
  });

  it("shipshape verifies an image cosign signed, and refuses it under another key", async () => {
    const repo = uniqueRepo("interop-cosign");
    const digest = await seedImage(client, repo, "v1");
    const ref = `${client.registry}/${repo}@${digest}`;
    await signWithCosign(ref);
    const cosignPub = loadPublicKey(readFileSync(join(dir, "cosign.pub"), "utf8"));
    const verified = await verifyImage(client, repo, "v1", [cosignPub]);
    expect(verified.digest).toBe(digest);
    expect(verified.signatures).toBe(1);
    await expect(
      verifyImage(client, repo, digest, [loadPublicKey(stranger.publicKeyPem)]),
    ).rejects.toMatchObject({
      failure: VerificationFailure.SignatureMismatch,
    });
  });

  it("neither accepts a cosign signature whose bytes were altered", async () => {
    const repo = uniqueRepo("interop-tamper");
    const digest = await seedImage(client, repo, "v1");
    const ref = `${client.registry}/${repo}@${digest}`;
    await signWithCosign(ref);
    const tag = `sha256-${digest.slice(7)}.sig`;
    const sig = await client.getManifest(repo, tag);
    const layer = sig?.json.layers?.[0];
    if (!layer?.annotations) throw new Error(`cosign wrote no signature layer: ${sig?.bytes.toString()}`);
    const bytes = Buffer.from(layer.annotations[SIGNATURE_ANNOTATION] ?? "", "base64");
    bytes[bytes.length - 2] = (bytes[bytes.length - 2] ?? 0) ^ 0x01;
    const altered = signatureImage([
      { ...layer, annotations: { ...layer.annotations, [SIGNATURE_ANNOTATION]: bytes.toString("base64") } },
    ]);
    await client.pushBlob(repo, altered.config);
    await client.putManifest(repo, tag, "application/vnd.oci.image.manifest.v1+json", altered.manifest);
    const byCosign = await verifyWithCosign("cosign.pub", ref);
    expect(byCosign.code).not.toBe(0);
    await expect(
      verifyImage(client, repo, digest, [loadPublicKey(readFileSync(join(dir, "cosign.pub"), "utf8"))]),
    ).rejects.toMatchObject({ failure: VerificationFailure.SignatureMismatch });
  });
  it("neither accepts a tag pushed again with other content after signing", async () => {
    const repo = uniqueRepo("interop-moved");
    const digest = await seedImage(client, repo, "release");
    await signImage(
      client,
      repo,
      digest,
      loadPrivateKey(ours.privateKeyPem),
      loadPublicKey(ours.publicKeyPem),
    );
    expect((await verifyWithCosign("ours.pub", `${client.registry}/${repo}:release`)).code).toBe(0);
    await seedImage(client, repo, "release");
    const byCosign = await verifyWithCosign("ours.pub", `${client.registry}/${repo}:release`);
    expect(byCosign.code).not.toBe(0);
    await expect(
      verifyImage(client, repo, "release", [loadPublicKey(ours.publicKeyPem)], { expectedDigest: digest }),
    ).rejects.toMatchObject({ failure: VerificationFailure.TagMoved });
  });
});
