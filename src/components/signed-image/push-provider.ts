import type * as pulumi from "@pulumi/pulumi";
import { REGISTRY_MODULE, TS_HOOK } from "./runtime";
import type { PushInputs, PushOutputs } from "./types";

const COMPARED = ["image", "source", "host", "repository", "tag", "insecure"] as const;

function registry(): typeof import("../../registry") {
  if (TS_HOOK) require(TS_HOOK).register();
  return require(REGISTRY_MODULE) as typeof import("../../registry");
}

/**
 * Publishes the scanned content under the release tag: an engine image is pushed through the
 * engine; a registry image already in the target repository is tagged there by manifest; one
 * from elsewhere is pulled by digest and pushed. The digest is the registry's.
 */
async function publish(inputs: PushInputs): Promise<PushOutputs> {
  const reg = registry();
  const target = reg.parseRegistryReference(inputs.repository, "repository");
  const client = new reg.RegistryClient(target.registry, { insecure: inputs.insecure });
  await client.ping();
  let local = inputs.image;
  if (inputs.source === "registry") {
    const source = reg.parseRegistryReference(inputs.image, "image");
    if (!source.digest) throw new Error(`the scanned image ${inputs.image} has no digest`);
    if (source.registry === target.registry && source.repository === target.repository) {
      const manifest = await client.getManifest(source.repository, source.digest);
      if (!manifest) throw new Error(`${inputs.image} is no longer in the registry ${target.registry}`);
      await client.putManifest(target.repository, inputs.tag, manifest.mediaType, manifest.bytes);
      return {
        ...inputs,
        digest: source.digest,
        imageId: "",
        imageRef: `${target.registry}/${target.repository}@${source.digest}`,
      };
    }
    local = await reg.pullByDigest({ ...source, digest: source.digest }, inputs.host);
  }
  const pushed = await reg.pushEngineImage(local, { ...target, tag: inputs.tag }, inputs.host);
  const stored = await client.resolve(target.repository, pushed.digest);
  if (!stored) {
    throw new Error(
      `the engine reported pushing ${pushed.digest}, but the registry ${target.registry} does not have it`,
    );
  }
  return {
    ...inputs,
    digest: pushed.digest,
    imageId: pushed.imageId,
    imageRef: `${target.registry}/${target.repository}@${pushed.digest}`,
  };
}

/** Whether the registry still holds the published digest under the release tag. */
async function drifted(olds: PushOutputs): Promise<string | undefined> {
  const reg = registry();
  const target = reg.parseRegistryReference(olds.repository, "repository");
  const client = new reg.RegistryClient(target.registry, { insecure: olds.insecure });
  const now = await client.resolve(target.repository, olds.tag);
  if (!now) return `the tag ${olds.repository}:${olds.tag} is gone from the registry`;
  if (now.digest !== olds.digest)
    return `the tag ${olds.repository}:${olds.tag} now names ${now.digest}, not ${olds.digest}`;
  return undefined;
}

/**
 * The dynamic provider of SignedImage's push. It runs only in `up` (a preview pushes nothing),
 * after the scan passed, since its image is the scan's output. A tag moved or deleted in the
 * registry is put back on the next `up`.
 */
export const pushProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: PushInputs) {
    const outs = await publish(inputs);
    return { id: outs.imageRef, outs };
  },

  async diff(_id: string, olds: PushOutputs, news: PushInputs) {
    const changed = COMPARED.filter(
      (k) => JSON.stringify(olds[k] ?? null) !== JSON.stringify(news[k] ?? null),
    );
    if (changed.length === 0 && (await drifted(olds))) changed.push("tag");
    return {
      changes: changed.length > 0,
      replaces: changed.includes("repository") ? ["repository"] : [],
      deleteBeforeReplace: false,
    };
  },

  async update(_id: string, _olds: PushOutputs, news: PushInputs) {
    return { outs: await publish(news) };
  },

  /**
   * Removes what the push made: the engine's extra name for the image, and the registry image
   * and its signatures when no other tag of the repository names that digest (another stack's
   * release of the same content keeps it).
   */
  async delete(_id: string, olds: PushOutputs) {
    const reg = registry();
    const target = reg.parseRegistryReference(olds.repository, "repository");
    const client = new reg.RegistryClient(target.registry, { insecure: olds.insecure });
    const tags = await client.tags(target.repository);
    let ours = false;
    let shared = false;
    for (const tag of tags) {
      if (reg.attachmentSubject(tag)) continue;
      const r = await client.resolve(target.repository, tag);
      if (r?.digest !== olds.digest) continue;
      if (tag === olds.tag) ours = true;
      else shared = true;
    }
    // A container of the engine still running the digest (another stack's) keeps it too.
    if (ours && !shared && olds.imageId) {
      const inUse = await reg.digestsInUseByEngine(olds.host).catch(() => new Map<string, string>());
      if (inUse.has(olds.digest)) shared = true;
    }
    if (ours && !shared) {
      const hex = olds.digest.replace(/^sha256:/, "");
      for (const suffix of ["sig", "att", "sbom"]) {
        const attached = await client.resolve(target.repository, `sha256-${hex}.${suffix}`);
        if (attached) await client.deleteManifest(target.repository, attached.digest);
      }
      await client.deleteManifest(target.repository, olds.digest);
    }
    if (olds.source === "docker" || olds.imageId) {
      await reg.untagEngineImage(`${olds.repository}:${olds.tag}`, olds.host).catch(() => undefined);
    }
  },
};
