import { readFileSync } from "node:fs";
import { connectEngine, parseEngineAddress } from "../../live/engine";

const DIGEST = /sha256:[a-f0-9]{64}/g;

/**
 * Manifest digests the containers of a Docker engine run (every repo digest of their images),
 * each with the container that uses it: retention never deletes what is running.
 */
export async function digestsInUseByEngine(host?: string): Promise<Map<string, string>> {
  const client = await connectEngine(parseEngineAddress(host));
  const out = new Map<string, string>();
  for (const c of await client.listContainers({ all: true })) {
    const name = (c.Names?.[0] ?? c.Id).replace(/^\//, "");
    const info = (await client
      .getImage(c.ImageID)
      .inspect()
      .catch(() => undefined)) as { RepoDigests?: string[] | null } | undefined;
    const refs = [c.Image, ...(info?.RepoDigests ?? [])];
    for (const ref of refs)
      for (const d of ref.match(DIGEST) ?? []) if (!out.has(d)) out.set(d, `container ${name}`);
  }
  return out;
}

/**
 * Digests a Pulumi stack's state names (a `pulumi stack export` file): any `sha256:<hex>` in it.
 * Matching more than the images (image IDs, scan keys) only protects more, never less.
 */
export function digestsInStackExport(file: string): Map<string, string> {
  const text = readFileSync(file, "utf8");
  const out = new Map<string, string>();
  for (const d of text.match(DIGEST) ?? []) if (!out.has(d)) out.set(d, `stack state ${file}`);
  return out;
}
