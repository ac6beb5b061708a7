import { parseImageRef } from "../model/image";
import { ScanError, ScanFailure } from "./errors";

const MANIFEST_TYPES = [
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.docker.distribution.manifest.v2+json",
].join(", ");

/**
 * The manifest digest a registry serves for a reference (its Docker-Content-Digest header), so
 * the scan, the cache and the container name the same content even when the tag moves.
 * Anonymous access only: a loopback registry, or one the engine's credentials are not needed for.
 */
export async function resolveRegistryDigest(
  image: string,
  insecure: boolean,
  timeoutMs = 15_000,
): Promise<string> {
  const ref = parseImageRef(image);
  if (!ref?.registry) {
    throw new ScanError(
      ScanFailure.ImageNotFound,
      `the image ${JSON.stringify(image)} names no registry host: write host[:port]/repository[:tag|@sha256:…] for ImageSource.Registry`,
    );
  }
  if (ref.digest) return ref.digest;
  const url = `${insecure ? "http" : "https"}://${ref.registry}/v2/${ref.repository}/manifests/${ref.tag ?? "latest"}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "HEAD",
      headers: { Accept: MANIFEST_TYPES },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new ScanError(
      ScanFailure.EngineUnreachable,
      `the registry ${ref.registry} did not answer for ${image}: ${(error as Error).message}`,
    );
  }
  const digest = response.headers.get("docker-content-digest");
  if (response.status === 404) {
    throw new ScanError(
      ScanFailure.ImageNotFound,
      `the registry ${ref.registry} has no image ${JSON.stringify(image)}: push it first`,
    );
  }
  if (!response.ok || !digest) {
    throw new ScanError(
      ScanFailure.EngineUnreachable,
      `the registry ${ref.registry} answered ${response.status} for ${image}${digest ? "" : " without a Docker-Content-Digest"}`,
    );
  }
  return digest;
}
