import { connectEngine, EngineUnreachableError, parseEngineAddress } from "../live/engine";
import { ScanError, ScanFailure } from "./errors";

/** A local engine image, identified by content. */
export interface ResolvedImage {
  /** The image ID (`sha256:…` of its config): what `docker run` and a container's image can name. */
  id: string;
  /** `repo@sha256:…` digests the image has in registries it was pushed to or pulled from. */
  repoDigests: string[];
}

/**
 * Looks the image up in the engine, so the scan, the cache key and the container all name the
 * same content: a tag that moves to other content changes the ID.
 */
export async function resolveLocalImage(image: string, host?: string): Promise<ResolvedImage> {
  const address = parseEngineAddress(host);
  let client: Awaited<ReturnType<typeof connectEngine>>;
  try {
    client = await connectEngine(address);
  } catch (error) {
    if (error instanceof EngineUnreachableError)
      throw new ScanError(ScanFailure.EngineUnreachable, error.message);
    throw error;
  }
  try {
    const info = (await client.getImage(image).inspect()) as { Id: string; RepoDigests?: string[] | null };
    return { id: info.Id, repoDigests: info.RepoDigests ?? [] };
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404) {
      throw new ScanError(
        ScanFailure.ImageNotFound,
        `the image ${JSON.stringify(image)} is not in the Docker engine at ${address.raw}: build, import or pull it before the scan (the scan never pulls), or correct the reference`,
      );
    }
    throw new ScanError(
      ScanFailure.EngineUnreachable,
      `the Docker engine at ${address.raw} did not answer for image ${JSON.stringify(image)}: ${(error as Error).message}`,
    );
  }
}
