/**
 * shipshape's cosign-format signatures against the real loopback registry: sign, verify, sign
 * again without a second layer, and every way verification must fail closed (wrong key,
 * altered signature, altered payload, a tag pushed again with other content, no signature).
 */
import { sign as ecSign } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { RegistryClient } from "../../src/registry";
import {
  generateSigningKeyPair,
  loadPrivateKey,
  loadPublicKey,
  SIGNATURE_ANNOTATION,
  signatureImage,
  signatureTag,
  signImage,
  simpleSigningPayload,
  VerificationFailure,
  verifyImage,
} from "../../src/signing";
import { requireRegistry, seedImage, uniqueRepo } from "./helpers";

const pair = () => {
  const p = generateSigningKeyPair();
  return { priv: loadPrivateKey(p.privateKeyPem), pub: loadPublicKey(p.publicKeyPem) };
};

async function failure(p: Promise<unknown>): Promise<{ failure: string; message: string }> {
  try {
    await p;
  } catch (error) {
    return { failure: (error as { failure?: string }).failure ?? "", message: (error as Error).message };
  }
  throw new Error("expected verification to fail, and it passed");
}

describe("cosign-format signing and verification on the real registry", () => {
  let client: RegistryClient;
  const key = pair();

  beforeAll(async () => {
    client = await requireRegistry();
  }, 60_000);

  it("signs an image, verifies it by tag and digest, and signing again writes nothing", async () => {
    const repo = uniqueRepo("sign");
    const digest = await seedImage(client, repo, "v1");
    const first = await signImage(client, repo, digest, key.priv, key.pub);
    expect(first.alreadySigned).toBe(false);
    expect(first.signatureTag).toBe(`sha256-${digest.slice(7)}.sig`);
    const sig = await client.getManifest(repo, first.signatureTag);
    expect(sig?.json.layers).toHaveLength(1);
    expect(sig?.json.layers?.[0]?.mediaType).toBe("application/vnd.dev.cosign.simplesigning.v1+json");
    expect(sig?.json.layers?.[0]?.annotations?.[SIGNATURE_ANNOTATION]).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const payload = JSON.parse((await client.getBlob(repo, first.payloadDigest)).toString());
    expect(payload.critical.image["docker-manifest-digest"]).toBe(digest);
    expect(payload.critical.identity["docker-reference"]).toBe(`${client.registry}/${repo}`);

    expect((await verifyImage(client, repo, "v1", [key.pub])).digest).toBe(digest);
    expect((await verifyImage(client, repo, digest, [key.pub])).payloadDigests).toEqual([
      first.payloadDigest,
    ]);

    const again = await signImage(client, repo, digest, key.priv, key.pub);
    expect(again.alreadySigned).toBe(true);
    expect((await client.getManifest(repo, first.signatureTag))?.digest).toBe(sig?.digest);

    // A second key adds a layer and keeps the first: either key verifies.
    const other = pair();
    expect((await signImage(client, repo, digest, other.priv, other.pub)).alreadySigned).toBe(false);
    expect((await client.getManifest(repo, first.signatureTag))?.json.layers).toHaveLength(2);
    expect((await verifyImage(client, repo, digest, [key.pub])).payloadDigests).toHaveLength(1);
    expect((await verifyImage(client, repo, digest, [other.pub])).payloadDigests).toHaveLength(1);
  });

  it("fails with the wrong key, naming why", async () => {
    const repo = uniqueRepo("wrongkey");
    const digest = await seedImage(client, repo, "v1");
    await signImage(client, repo, digest, key.priv, key.pub);
    const f = await failure(verifyImage(client, repo, "v1", [pair().pub]));
    expect(f.failure).toBe(VerificationFailure.SignatureMismatch);
    expect(f.message).toContain("does not verify against the public key");
    expect(f.message).toContain(digest);
  });

  it("fails when the signature annotation or the payload was altered", async () => {
    const repo = uniqueRepo("tamper");
    const digest = await seedImage(client, repo, "v1");
    const signed = await signImage(client, repo, digest, key.priv, key.pub);
    const sig = await client.getManifest(repo, signed.signatureTag);
    const layer = sig?.json.layers?.[0];
    if (!layer?.annotations) throw new Error("no signature layer");
    // Flip one byte of the DER signature.
    const bytes = Buffer.from(layer.annotations[SIGNATURE_ANNOTATION] ?? "", "base64");
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0x01;
    const altered = signatureImage([
      { ...layer, annotations: { [SIGNATURE_ANNOTATION]: bytes.toString("base64") } },
    ]);
    await client.pushBlob(repo, altered.config);
    await client.putManifest(
      repo,
      signed.signatureTag,
      "application/vnd.oci.image.manifest.v1+json",
      altered.manifest,
    );
    expect((await failure(verifyImage(client, repo, digest, [key.pub]))).failure).toBe(
      VerificationFailure.SignatureMismatch,
    );

    // The original signature over another payload (a different identity): the bytes no longer match.
    const other = simpleSigningPayload(`${client.registry}/elsewhere`, digest);
    const otherDigest = await client.pushBlob(repo, other);
    const swapped = signatureImage([{ ...layer, digest: otherDigest, size: other.length }]);
    await client.pushBlob(repo, swapped.config);
    await client.putManifest(
      repo,
      signed.signatureTag,
      "application/vnd.oci.image.manifest.v1+json",
      swapped.manifest,
    );
    expect((await failure(verifyImage(client, repo, digest, [key.pub]))).failure).toBe(
      VerificationFailure.SignatureMismatch,
    );
  });

  it("fails when a valid signature claims other content", async () => {
    const repo = uniqueRepo("claim");
    const digest = await seedImage(client, repo, "v1");
    const elsewhere = await seedImage(client, repo, "v2");
    // A true signature of v2's payload, placed under v1's signature tag.
    const payload = simpleSigningPayload(`${client.registry}/${repo}`, elsewhere);
    const signature = ecSign("sha256", payload, { key: key.priv, dsaEncoding: "der" }).toString("base64");
    const payloadDigest = await client.pushBlob(repo, payload);
    const img = signatureImage([
      {
        mediaType: "application/vnd.dev.cosign.simplesigning.v1+json",
        digest: payloadDigest,
        size: payload.length,
        annotations: { [SIGNATURE_ANNOTATION]: signature },
      },
    ]);
    await client.pushBlob(repo, img.config);
    await client.putManifest(
      repo,
      signatureTag(digest),
      "application/vnd.oci.image.manifest.v1+json",
      img.manifest,
    );
    const f = await failure(verifyImage(client, repo, "v1", [key.pub]));
    expect(f.failure).toBe(VerificationFailure.ClaimMismatch);
    expect(f.message).toContain(`claims ${elsewhere}`);
  });

  it("fails when the tag was pushed again with other content, and when nothing is signed", async () => {
    const repo = uniqueRepo("moved");
    const digest = await seedImage(client, repo, "release");
    await signImage(client, repo, digest, key.priv, key.pub);
    const moved = await seedImage(client, repo, "release");
    expect(moved).not.toBe(digest);
    const byTag = await failure(verifyImage(client, repo, "release", [key.pub]));
    expect(byTag.failure).toBe(VerificationFailure.NoSignatures);
    expect(byTag.message).toContain(moved);
    const pinned = await failure(verifyImage(client, repo, "release", [key.pub], { expectedDigest: digest }));
    expect(pinned.failure).toBe(VerificationFailure.TagMoved);
    expect(pinned.message).toContain(`not the signed ${digest}`);
    // The signed digest itself still verifies.
    expect((await verifyImage(client, repo, digest, [key.pub])).digest).toBe(digest);
    expect((await failure(verifyImage(client, repo, "absent", [key.pub]))).failure).toBe(
      VerificationFailure.ImageMissing,
    );
  });

  it("refuses keys that are not ECDSA P-256 without quoting them", () => {
    const { generateKeyPairSync } = require("node:crypto") as typeof import("node:crypto");
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    expect(() => loadPrivateKey(rsa)).toThrow(/rsa key, not ECDSA P-256/);
    try {
      loadPrivateKey(rsa);
    } catch (error) {
      expect((error as Error).message).not.toContain(rsa.split("\n")[1] ?? "x");
    }
    expect(() =>
      loadPrivateKey("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"),
    ).toThrow(/not a readable PEM private key/);
  });
  it("a registry that refuses (401, 503) fails with its status and names the registry", async () => {
    const { createServer } = await import("node:http");
    for (const status of [401, 503]) {
      const server = createServer((_req, res) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end('{"errors":[{"code":"DENIED","message":"go away"}]}');
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const port = (server.address() as { port: number }).port;
      const { RegistryClient } = await import("../../src/registry");
      const refusing = new RegistryClient(`127.0.0.1:${port}`);
      await expect(refusing.resolve("team/app", "1")).rejects.toThrow(
        new RegExp(`the registry 127\\.0\\.0\\.1:${port} refused to resolve team/app:1: ${status}`),
      );
      await expect(verifyImage(refusing, "team/app", "1", [key.pub])).rejects.toThrow(/refused/);
      await new Promise((r) => server.close(r));
    }
  });
});
