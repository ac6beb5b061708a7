import { parseImageRef } from "../model/image";

/** An image in a registry: `registry/repository` and a tag or a digest. */
export interface RegistryReference {
  /** `host[:port]`. */
  registry: string;
  /** The repository path inside the registry (`team/app`). */
  repository: string;
  tag?: string;
  digest?: string;
}

/** `registry/repository` as signatures and `docker pull` name it. */
export function repositoryName(ref: Pick<RegistryReference, "registry" | "repository">): string {
  return `${ref.registry}/${ref.repository}`;
}

/** `registry/repository@digest`, else `:tag`. */
export function formatReference(ref: RegistryReference): string {
  const base = repositoryName(ref);
  if (ref.digest) return `${base}@${ref.digest}`;
  return `${base}:${ref.tag ?? "latest"}`;
}

/**
 * Parses `host[:port]/repository[:tag][@digest]`. The registry host is required: a name without
 * one would mean Docker Hub, which this machine (and a loopback registry's user) never means.
 */
export function parseRegistryReference(text: string, what = "image"): RegistryReference {
  const ref = parseImageRef(text);
  if (!ref || ref.unparsed || ref.engineImageId) {
    throw new Error(
      `${what} ${JSON.stringify(text)} is not a registry reference: write host[:port]/repository[:tag] or host[:port]/repository@sha256:<digest>`,
    );
  }
  if (!ref.registry) {
    throw new Error(
      `${what} ${JSON.stringify(text)} names no registry host: write host[:port]/repository (for the local registry, 127.0.0.1:5000/${ref.repository})`,
    );
  }
  const out: RegistryReference = { registry: ref.registry, repository: ref.repository };
  if (ref.tag) out.tag = ref.tag;
  if (ref.digest) out.digest = ref.digest.toLowerCase();
  return out;
}

/** Whether a registry address is on this machine's loopback, which speaks plain HTTP by default (as Docker treats it). */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith("[") ? registry.slice(1, registry.indexOf("]")) : registry.split(":")[0];
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host ?? "");
}
