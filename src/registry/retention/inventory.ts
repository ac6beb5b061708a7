import { readdirSync } from "node:fs";
import { join } from "node:path";
import { globToRegExp } from "../../policy/glob";
import type { RegistryClient } from "../client";

/** A tag that holds something attached to another image: cosign's signatures, attestations, SBOMs. */
const ATTACHMENT_TAG = /^(sha256)-([a-f0-9]{64})\.(sig|att|sbom)$/;

/** The digest an attachment tag belongs to, or undefined for an ordinary tag. */
export function attachmentSubject(tag: string): string | undefined {
  const m = ATTACHMENT_TAG.exec(tag);
  return m ? `${m[1]}:${m[2]}` : undefined;
}

/** One manifest of a repository, with every tag that names it. */
export interface InventoryImage {
  digest: string;
  tags: string[];
  /** The image config's `created` time (RFC 3339); undefined when the manifest has none (an index). */
  created?: string;
}

export interface InventoryAttachment {
  tag: string;
  digest: string;
  /** The image digest it is attached to. */
  subject: string;
}

export interface RepositoryInventory {
  repository: string;
  images: InventoryImage[];
  attachments: InventoryAttachment[];
  /** Whether untagged manifests were looked for (they need the storage directory). */
  untaggedKnown: boolean;
}

/** Manifest digests the registry stores for a repository, from its filesystem layout. */
function storedRevisions(storageRoot: string, repository: string): string[] {
  const dir = join(
    storageRoot,
    "docker",
    "registry",
    "v2",
    "repositories",
    repository,
    "_manifests",
    "revisions",
    "sha256",
  );
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && /^[a-f0-9]{64}$/.test(e.name))
      .map((e) => `sha256:${e.name}`);
  } catch {
    return [];
  }
}

async function createdOf(
  client: RegistryClient,
  repository: string,
  digest: string,
): Promise<string | undefined> {
  const manifest = await client.getManifest(repository, digest);
  const created = manifest?.json.annotations?.["org.opencontainers.image.created"];
  if (created) return created;
  const config = manifest?.json.config;
  if (!config || config.size > 4 * 1024 * 1024) return undefined;
  try {
    const body = JSON.parse((await client.getBlob(repository, config.digest)).toString("utf8")) as {
      created?: unknown;
    };
    return typeof body.created === "string" ? body.created : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads what a registry holds in the repositories `covered` matches: every tag resolved to its
 * digest, images grouped by digest with their creation time, attachments by subject, and (with
 * the storage directory) untagged manifests.
 */
export async function readInventory(
  client: RegistryClient,
  covered: readonly string[],
  storageRoot?: string,
): Promise<RepositoryInventory[]> {
  const patterns = covered.map(globToRegExp);
  const repositories = (await client.catalog()).filter((r) => patterns.some((p) => p.test(r))).sort();
  const out: RepositoryInventory[] = [];
  for (const repository of repositories) {
    const byDigest = new Map<string, InventoryImage>();
    const attachments: InventoryAttachment[] = [];
    for (const tag of (await client.tags(repository)).sort()) {
      const resolved = await client.resolve(repository, tag);
      if (!resolved) continue; // deleted between the listing and now
      const subject = attachmentSubject(tag);
      if (subject) {
        attachments.push({ tag, digest: resolved.digest, subject });
        continue;
      }
      const image = byDigest.get(resolved.digest) ?? { digest: resolved.digest, tags: [] };
      image.tags.push(tag);
      byDigest.set(resolved.digest, image);
    }
    if (storageRoot) {
      const attached = new Set(attachments.map((a) => a.digest));
      for (const digest of storedRevisions(storageRoot, repository)) {
        if (!byDigest.has(digest) && !attached.has(digest)) byDigest.set(digest, { digest, tags: [] });
      }
    }
    for (const image of byDigest.values()) {
      const created = await createdOf(client, repository, image.digest);
      if (created) image.created = created;
    }
    out.push({
      repository,
      images: [...byDigest.values()].sort((a, b) => a.digest.localeCompare(b.digest)),
      attachments,
      untaggedKnown: storageRoot !== undefined,
    });
  }
  return out;
}
