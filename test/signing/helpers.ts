/**
 * The real parts the signing and retention tests use: the loopback registry scripts/registry.sh
 * runs (Debian's docker-registry) and the cosign binary scripts/security-tools/build.sh builds.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { RegistryClient, sha256Digest } from "../../src/registry";
import { defaultCosignPath } from "../../src/signing/locations";
import { REPO } from "../scan/helpers";

const run = promisify(execFile);
export const REGISTRY = process.env.SHIPSHAPE_REGISTRY_ADDR ?? "127.0.0.1:5000";
export const COSIGN = defaultCosignPath();

/** Starts the loopback registry (idempotent) and fails, naming the fix, when it does not answer. */
export async function requireRegistry(): Promise<RegistryClient> {
  await run("bash", [join(REPO, "scripts", "registry.sh"), "start"], { timeout: 30_000 });
  const client = new RegistryClient(REGISTRY);
  await client.ping();
  return client;
}

export function requireCosign(): string {
  if (!existsSync(COSIGN))
    throw new Error(`${COSIGN} is missing: run scripts/setup.sh (it builds cosign from the Go module proxy)`);
  return COSIGN;
}

/** Runs cosign with an argument array, offline (no transparency log), in `cwd`. */
export async function cosign(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; output: string }> {
  try {
    const r = await run(COSIGN, args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", ...options.env },
      timeout: 120_000,
    });
    return { code: 0, output: `${r.stdout}${r.stderr}` };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/**
 * Pushes a small image straight through the registry API: one gzip layer of random bytes and
 * a config with the given creation time, so a test controls content and age without an engine.
 */
export async function seedImage(
  client: RegistryClient,
  repository: string,
  tag: string,
  created = new Date().toISOString(),
): Promise<string> {
  const layer = gzipSync(randomBytes(64));
  const layerDigest = await client.pushBlob(repository, layer);
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      created,
      rootfs: { type: "layers", diff_ids: [sha256Digest(randomBytes(8))] },
      config: {},
    }),
  );
  const configDigest = await client.pushBlob(repository, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        size: config.length,
        digest: configDigest,
      },
      layers: [
        { mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", size: layer.length, digest: layerDigest },
      ],
    }),
  );
  return client.putManifest(repository, tag, "application/vnd.oci.image.manifest.v1+json", manifest);
}

/** A repository name no other run uses. */
export const uniqueRepo = (what: string) =>
  `shipshape-test/${what}-${process.pid}-${randomBytes(3).toString("hex")}`;
