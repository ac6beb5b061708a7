import { createHash } from "node:crypto";
import { RegistryError, RegistryFailure } from "./errors";
import { isLoopbackRegistry } from "./reference";

/** Manifest media types a client asks for: OCI and Docker, single images and indexes. */
export const MANIFEST_MEDIA_TYPES = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
] as const;

export interface RegistryClientOptions {
  /** Plain HTTP. @default true for a loopback registry, else false */
  insecure?: boolean;
  /** Each request is abandoned after this long. @default 15000 */
  timeoutMs?: number;
}

/** A manifest as the registry stored it: its exact bytes, since the digest is of those bytes. */
export interface StoredManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  json: ManifestJson;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface ManifestJson {
  schemaVersion?: number;
  mediaType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  annotations?: Record<string, string>;
}

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

interface RequestOptions {
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Statuses that are answers, not failures (404 is always turned into NotFound). */
  ok?: readonly number[];
}

/**
 * A client of the OCI distribution API (what Docker's registry, distribution 2.8, serves):
 * manifests, blobs, tags, the catalog and deletion. Anonymous access; every failure is a
 * RegistryError whose message names the registry and what was asked.
 */
export class RegistryClient {
  readonly registry: string;
  private readonly base: string;
  private readonly timeoutMs: number;

  constructor(registry: string, options: RegistryClientOptions = {}) {
    this.registry = registry;
    const insecure = options.insecure ?? isLoopbackRegistry(registry);
    this.base = `${insecure ? "http" : "https"}://${registry}`;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  private async request(method: string, path: string, what: string, options: RequestOptions = {}) {
    const url = path.startsWith("http://") || path.startsWith("https://") ? path : `${this.base}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: options.headers ?? {},
        ...(options.body ? { body: options.body } : {}),
        redirect: "follow",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.code ?? cause?.message ?? (error as Error).message;
      throw new RegistryError(
        RegistryFailure.Unreachable,
        this.registry,
        `the registry ${this.registry} did not answer (${detail}) when asked to ${what}: is it running (bash scripts/registry.sh status) and is the address right?`,
      );
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new RegistryError(
        RegistryFailure.NotFound,
        this.registry,
        `the registry ${this.registry} has no such thing: ${what} answered 404`,
        404,
      );
    }
    if (!(options.ok ?? [200]).includes(response.status)) {
      const text = (await response.text().catch(() => "")).slice(0, 300).replace(/\s+/g, " ");
      throw new RegistryError(
        RegistryFailure.Refused,
        this.registry,
        `the registry ${this.registry} refused to ${what}: ${response.status} ${response.statusText}${text ? ` (${text})` : ""}`,
        response.status,
      );
    }
    return response;
  }

  /** The digest a tag or digest names now, or undefined when the registry has no such manifest. */
  async resolve(
    repository: string,
    reference: string,
  ): Promise<{ digest: string; mediaType: string } | undefined> {
    try {
      const r = await this.request(
        "HEAD",
        `/v2/${repository}/manifests/${reference}`,
        `resolve ${repository}:${reference}`,
        {
          headers: { Accept: MANIFEST_MEDIA_TYPES.join(", ") },
        },
      );
      const digest = r.headers.get("docker-content-digest");
      if (!digest) {
        throw new RegistryError(
          RegistryFailure.Malformed,
          this.registry,
          `the registry ${this.registry} answered for ${repository}:${reference} without a Docker-Content-Digest header`,
        );
      }
      return { digest, mediaType: r.headers.get("content-type") ?? "" };
    } catch (error) {
      if (error instanceof RegistryError && error.failure === RegistryFailure.NotFound) return undefined;
      throw error;
    }
  }

  /** A manifest's exact bytes; fetched by digest, its content is checked against the digest. */
  async getManifest(repository: string, reference: string): Promise<StoredManifest | undefined> {
    let r: Response;
    try {
      r = await this.request(
        "GET",
        `/v2/${repository}/manifests/${reference}`,
        `fetch the manifest ${repository}:${reference}`,
        {
          headers: { Accept: MANIFEST_MEDIA_TYPES.join(", ") },
        },
      );
    } catch (error) {
      if (error instanceof RegistryError && error.failure === RegistryFailure.NotFound) return undefined;
      throw error;
    }
    const bytes = Buffer.from(await r.arrayBuffer());
    const digest = sha256Digest(bytes);
    if (reference.startsWith("sha256:") && reference !== digest) {
      throw new RegistryError(
        RegistryFailure.Malformed,
        this.registry,
        `the registry ${this.registry} served a manifest for ${repository}@${reference} whose content hashes to ${digest}`,
      );
    }
    let json: ManifestJson;
    try {
      json = JSON.parse(bytes.toString("utf8")) as ManifestJson;
    } catch {
      throw new RegistryError(
        RegistryFailure.Malformed,
        this.registry,
        `the manifest ${repository}:${reference} on ${this.registry} is not JSON`,
      );
    }
    const mediaType = json.mediaType ?? r.headers.get("content-type") ?? "";
    return { digest, mediaType, bytes, json };
  }

  /** Stores a manifest under a tag (or its digest) and returns its digest. */
  async putManifest(
    repository: string,
    reference: string,
    mediaType: string,
    bytes: Buffer,
  ): Promise<string> {
    const r = await this.request(
      "PUT",
      `/v2/${repository}/manifests/${reference}`,
      `store the manifest ${repository}:${reference}`,
      {
        headers: { "Content-Type": mediaType },
        body: bytes,
        ok: [201],
      },
    );
    await r.body?.cancel();
    return r.headers.get("docker-content-digest") ?? sha256Digest(bytes);
  }

  /** A blob's bytes, checked against its digest: a registry cannot hand over other content. */
  async getBlob(repository: string, digest: string, maxBytes = 16 * 1024 * 1024): Promise<Buffer> {
    const r = await this.request(
      "GET",
      `/v2/${repository}/blobs/${digest}`,
      `fetch the blob ${digest} of ${repository}`,
    );
    const length = Number(r.headers.get("content-length") ?? "0");
    if (length > maxBytes) {
      await r.body?.cancel();
      throw new RegistryError(
        RegistryFailure.Malformed,
        this.registry,
        `the blob ${digest} of ${repository} on ${this.registry} is ${length} bytes, more than the ${maxBytes} expected`,
      );
    }
    const bytes = Buffer.from(await r.arrayBuffer());
    const actual = sha256Digest(bytes);
    if (actual !== digest) {
      throw new RegistryError(
        RegistryFailure.Malformed,
        this.registry,
        `the blob ${digest} of ${repository} on ${this.registry} has content that hashes to ${actual}: it was altered`,
      );
    }
    return bytes;
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    try {
      await this.request(
        "HEAD",
        `/v2/${repository}/blobs/${digest}`,
        `look up the blob ${digest} of ${repository}`,
      );
      return true;
    } catch (error) {
      if (error instanceof RegistryError && error.failure === RegistryFailure.NotFound) return false;
      throw error;
    }
  }

  /** Uploads a blob (monolithic upload) unless the repository has it; returns its digest. */
  async pushBlob(repository: string, bytes: Buffer): Promise<string> {
    const digest = sha256Digest(bytes);
    if (await this.hasBlob(repository, digest)) return digest;
    const start = await this.request(
      "POST",
      `/v2/${repository}/blobs/uploads/`,
      `start an upload to ${repository}`,
      {
        ok: [202],
      },
    );
    await start.body?.cancel();
    const location = start.headers.get("location");
    if (!location) {
      throw new RegistryError(
        RegistryFailure.Malformed,
        this.registry,
        `the registry ${this.registry} started an upload to ${repository} without a Location header`,
      );
    }
    const url = new URL(location, this.base);
    url.searchParams.set("digest", digest);
    const done = await this.request("PUT", url.toString(), `upload a blob to ${repository}`, {
      headers: { "Content-Type": "application/octet-stream" },
      body: bytes,
      ok: [201],
    });
    await done.body?.cancel();
    return digest;
  }

  /** Deletes a manifest by digest (and with it every tag that points to it). */
  async deleteManifest(repository: string, digest: string): Promise<void> {
    const r = await this.request(
      "DELETE",
      `/v2/${repository}/manifests/${digest}`,
      `delete ${repository}@${digest}`,
      {
        ok: [202],
      },
    );
    await r.body?.cancel();
  }

  /** Every tag of a repository (following the Link pagination); none for an unknown repository. */
  async tags(repository: string): Promise<string[]> {
    try {
      return await this.paged(`/v2/${repository}/tags/list?n=1000`, "tags", `list the tags of ${repository}`);
    } catch (error) {
      if (error instanceof RegistryError && error.failure === RegistryFailure.NotFound) return [];
      throw error;
    }
  }

  /** Every repository the registry lists. */
  async catalog(): Promise<string[]> {
    return this.paged("/v2/_catalog?n=1000", "repositories", "list its repositories");
  }

  /** Whether the registry answers the API's base endpoint. */
  async ping(): Promise<void> {
    const r = await this.request("GET", "/v2/", "answer the API's base endpoint /v2/");
    await r.body?.cancel();
  }

  private async paged(first: string, field: "tags" | "repositories", what: string): Promise<string[]> {
    const out: string[] = [];
    let next: string | undefined = first;
    for (let page = 0; next && page < 10_000; page++) {
      const r = await this.request("GET", next, what);
      const body = (await r.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      const items = body?.[field];
      if (items !== null && items !== undefined && !Array.isArray(items)) {
        throw new RegistryError(
          RegistryFailure.Malformed,
          this.registry,
          `the registry ${this.registry} answered ${what} without a ${field} list`,
        );
      }
      for (const item of (items as unknown[] | null | undefined) ?? [])
        if (typeof item === "string") out.push(item);
      const link = r.headers.get("link");
      const match = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
      next = match?.[1] ? new URL(match[1], this.base).toString() : undefined;
    }
    return out;
  }
}
