/**
 * SignedImage's push step on the real registry and engine, for the sources the e2e does not
 * deploy: a registry image already in the target repository (tagged there by manifest, no
 * engine involved) and one in another repository (pulled by digest, then pushed); and the delete
 * that keeps a digest another tag still names.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { pushProvider } from "../../src/components/signed-image/push-provider";
import type { PushInputs, PushOutputs } from "../../src/components/signed-image/types";
import type { RegistryClient } from "../../src/registry";
import { FIXED_IMAGE, requireScanner } from "../scan/helpers";
import { REGISTRY, requireRegistry, seedImage, uniqueRepo } from "./helpers";

const run = promisify(execFile);

describe("SignedImage's push (real registry and engine)", () => {
  let client: RegistryClient;
  beforeAll(async () => {
    await requireScanner(); // builds the test images
    client = await requireRegistry();
  }, 300_000);

  const create = async (inputs: PushInputs) => (await pushProvider.create(inputs)).outs as PushOutputs;

  it("tags a registry image in its own repository by manifest, and a delete keeps a digest another tag names", async () => {
    const repo = uniqueRepo("push-same");
    const digest = await seedImage(client, repo, "candidate");
    const outs = await create({
      image: `${REGISTRY}/${repo}@${digest}`,
      source: "registry",
      repository: `${REGISTRY}/${repo}`,
      tag: "release",
      insecure: true,
    });
    expect(outs.imageRef).toBe(`${REGISTRY}/${repo}@${digest}`);
    expect((await client.resolve(repo, "release"))?.digest).toBe(digest);
    // "candidate" still names the digest: deleting the release leaves the image.
    await pushProvider.delete?.(outs.imageRef, outs);
    expect((await client.resolve(repo, "candidate"))?.digest).toBe(digest);
  });

  it("copies a registry image from another repository through the engine, by digest", async () => {
    const from = uniqueRepo("push-from");
    const to = uniqueRepo("push-to");
    await run("docker", ["tag", FIXED_IMAGE, `${REGISTRY}/${from}:1`]);
    await run("docker", ["push", `${REGISTRY}/${from}:1`]);
    const source = await client.resolve(from, "1");
    if (!source) throw new Error("the source push did not land");
    const outs = await create({
      image: `${REGISTRY}/${from}@${source.digest}`,
      source: "registry",
      repository: `${REGISTRY}/${to}`,
      tag: "release",
      insecure: true,
    });
    expect((await client.resolve(to, "release"))?.digest).toBe(outs.digest);
    expect(outs.imageId).toBe(
      (await run("docker", ["image", "inspect", "--format", "{{.Id}}", FIXED_IMAGE])).stdout.trim(),
    );
    // The release is the only tag: delete removes it from the registry, the engine keeps the image.
    await pushProvider.delete?.(outs.imageRef, outs);
    expect(await client.resolve(to, outs.digest)).toBeUndefined();
    expect(
      (await run("docker", ["image", "inspect", "--format", "{{.Id}}", FIXED_IMAGE])).stdout.trim(),
    ).toBe(outs.imageId);
  }, 120_000);

  it("sees a moved tag as a change (the next up pushes the content back)", async () => {
    const repo = uniqueRepo("push-drift");
    const digest = await seedImage(client, repo, "seed");
    const outs = await create({
      image: `${REGISTRY}/${repo}@${digest}`,
      source: "registry",
      repository: `${REGISTRY}/${repo}`,
      tag: "release",
      insecure: true,
    });
    const inputs: PushInputs = {
      image: outs.image,
      source: outs.source,
      repository: outs.repository,
      tag: outs.tag,
      insecure: outs.insecure,
    };
    expect((await pushProvider.diff?.(outs.imageRef, outs, inputs))?.changes).toBe(false);
    await seedImage(client, repo, "release");
    expect((await pushProvider.diff?.(outs.imageRef, outs, inputs))?.changes).toBe(true);
    await pushProvider.update?.(outs.imageRef, outs, inputs);
    expect((await client.resolve(repo, "release"))?.digest).toBe(digest);
  });
});
