import type Docker from "dockerode";
import { connectEngine, parseEngineAddress } from "../live/engine";
import { RegistryError, RegistryFailure } from "./errors";
import { type RegistryReference, repositoryName } from "./reference";

interface ProgressEvent {
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { Tag?: string; Digest?: string; Size?: number };
}

/** Reads an Engine API progress stream to its end; the first error event fails it. */
function follow(client: Docker, stream: NodeJS.ReadableStream): Promise<ProgressEvent[]> {
  return new Promise((resolve, reject) => {
    client.modem.followProgress(
      stream,
      (error: Error | null, events: ProgressEvent[]) => {
        if (error) return reject(error);
        const failed = events.find((e) => e.error || e.errorDetail?.message);
        if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error));
        resolve(events);
      },
      () => undefined,
    );
  });
}

/** An image the engine pushed: its ID there and the manifest digest the registry stored. */
export interface PushedImage {
  imageId: string;
  digest: string;
}

/**
 * Pushes an engine image to `registry/repository:tag` through the engine (so its layers go as
 * the engine stores them, and the engine records the repo digest that containers can name).
 * The engine must reach the registry: Docker speaks plain HTTP to loopback registries.
 */
export async function pushEngineImage(
  image: string,
  target: RegistryReference & { tag: string },
  host?: string,
): Promise<PushedImage> {
  const address = parseEngineAddress(host);
  const client = await connectEngine(address);
  const repo = repositoryName(target);
  const source = client.getImage(image);
  let imageId: string;
  try {
    imageId = ((await source.inspect()) as { Id: string }).Id;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) {
      throw new Error(
        `the image ${JSON.stringify(image)} is not in the Docker engine at ${address.raw}: build, import or pull it first`,
      );
    }
    throw error;
  }
  await source.tag({ repo, tag: target.tag });
  let events: ProgressEvent[];
  try {
    const stream = await client.getImage(`${repo}:${target.tag}`).push({ tag: target.tag, authconfig: {} });
    events = await follow(client, stream);
  } catch (error) {
    throw new RegistryError(
      RegistryFailure.Refused,
      target.registry,
      `the Docker engine at ${address.raw} could not push ${repo}:${target.tag} to the registry ${target.registry}: ${(error as Error).message}`,
    );
  }
  const digest = events.map((e) => e.aux?.Digest).find((d): d is string => typeof d === "string");
  if (!digest) {
    throw new RegistryError(
      RegistryFailure.Malformed,
      target.registry,
      `the Docker engine at ${address.raw} pushed ${repo}:${target.tag} to ${target.registry} but reported no manifest digest`,
    );
  }
  return { imageId, digest };
}

/** Pulls `registry/repository@digest` into the engine, so containers there can run it by digest. */
export async function pullByDigest(
  target: RegistryReference & { digest: string },
  host?: string,
): Promise<string> {
  const address = parseEngineAddress(host);
  const client = await connectEngine(address);
  const ref = `${repositoryName(target)}@${target.digest}`;
  try {
    const stream = await client.pull(ref, { authconfig: {} });
    await follow(client, stream);
  } catch (error) {
    throw new RegistryError(
      RegistryFailure.Refused,
      target.registry,
      `the Docker engine at ${address.raw} could not pull ${ref} from the registry ${target.registry}: ${(error as Error).message}`,
    );
  }
  return ((await client.getImage(ref).inspect()) as { Id: string }).Id;
}

/** Removes a tag the push added to the engine (the image stays while other names use it). */
export async function untagEngineImage(name: string, host?: string): Promise<void> {
  const client = await connectEngine(parseEngineAddress(host));
  try {
    const info = (await client.getImage(name).inspect()) as { RepoTags?: string[] | null };
    // The push's name is the image's only one: removing it would remove the image itself.
    if ((info.RepoTags ?? []).filter((t) => t !== name).length === 0) return;
    await client.getImage(name).remove({ noprune: true });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    // Gone already, or still used by a container: the name stays, nothing else is touched.
    if (status !== 404 && status !== 409) throw error;
  }
}
