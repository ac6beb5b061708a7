/**
 * Where decrypted secrets go: files in a container (through the Engine API's archive upload, so
 * the value never appears in an argv or an environment), or an env file.
 */
import { EngineUnreachableError } from "../live/engine";
import { SecretStoreError, writeAtomic } from "./store";

/** A ustar archive of regular files (name, content, uid, gid, mode): what the engine extracts. */
export function tarArchive(
  files: { name: string; content: Uint8Array; uid: number; gid: number; mode: number }[],
): Buffer {
  const blocks: Buffer[] = [];
  const octal = (n: number, width: number) => `${n.toString(8).padStart(width - 1, "0")}\0`;
  for (const f of files) {
    if (Buffer.byteLength(f.name) > 99)
      throw new SecretStoreError(`the file name ${f.name} is too long for the archive`);
    const h = Buffer.alloc(512);
    h.write(f.name, 0, "utf8");
    h.write(octal(f.mode, 8), 100);
    h.write(octal(f.uid, 8), 108);
    h.write(octal(f.gid, 8), 116);
    h.write(octal(f.content.length, 12), 124);
    h.write(octal(Math.floor(Date.now() / 1000), 12), 136);
    h.write("        ", 148);
    h.write("0", 156);
    h.write("ustar\0" + "00", 257);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    blocks.push(h, Buffer.from(f.content), Buffer.alloc((512 - (f.content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** The container's numeric `uid:gid`, from `--owner` or its configured user. */
function ownerOf(user: string, given: string | undefined, container: string): { uid: number; gid: number } {
  const text = given ?? user;
  const m = /^(\d+)(?::(\d+))?$/.exec(text);
  if (!m) {
    throw new SecretStoreError(
      given !== undefined
        ? `--owner ${JSON.stringify(given)} must be a numeric uid or uid:gid, e.g. 10001:10001`
        : `container ${container} runs as ${user ? JSON.stringify(user) : "root (no user)"}; secrets go to a non-root numeric user: give --owner uid:gid`,
    );
  }
  const uid = Number(m[1]);
  const gid = m[2] === undefined ? uid : Number(m[2]);
  if (uid === 0)
    throw new SecretStoreError(`secrets are not given to root (uid 0) in ${container}; give --owner uid:gid`);
  return { uid, gid };
}

/**
 * Copies the secrets into `dir` of a container, owned by its user (or `owner`), mode 0400. The
 * directory must exist and accept writes: a volume, or a writable root filesystem (the engine
 * refuses copies into a read-only one, and says so).
 */
export async function applyToContainer(options: {
  host?: string;
  container: string;
  dir: string;
  owner?: string;
  secrets: Map<string, Uint8Array>;
}): Promise<{ container: string; files: string[]; owner: string }> {
  const { parseEngineAddress, connectEngine } = await import("../live/engine");
  const address = parseEngineAddress(options.host);
  const engine = await connectEngine(address);
  const container = engine.getContainer(options.container);
  let info: { Config: { User: string }; Name: string };
  try {
    info = (await container.inspect()) as typeof info;
  } catch (e) {
    throw new SecretStoreError(
      `no container ${JSON.stringify(options.container)} on ${address.raw} (${(e as Error).message.replace(/\s+/g, " ").trim()})`,
    );
  }
  const { uid, gid } = ownerOf(info.Config.User ?? "", options.owner, options.container);
  const files = [...options.secrets].map(([name, content]) => ({ name, content, uid, gid, mode: 0o400 }));
  try {
    await container.putArchive(tarArchive(files), { path: options.dir });
  } catch (e) {
    if (e instanceof EngineUnreachableError) throw e;
    throw new SecretStoreError(
      `the engine refused the secret files in ${options.container}:${options.dir} (${(e as Error).message.replace(/\s+/g, " ").trim()}); the directory must exist and be writable: mount a volume there`,
    );
  }
  return {
    container: info.Name.replace(/^\//, ""),
    files: files.map((f) => `${options.dir.replace(/\/$/, "")}/${f.name}`),
    owner: `${uid}:${gid}`,
  };
}

/** Writes `NAME=value` lines (names upper-cased, '_' for other characters), mode 0600. */
export function applyToEnvFile(path: string, secrets: Map<string, Uint8Array>): string[] {
  const lines: string[] = [];
  const names: string[] = [];
  for (const [name, bytes] of secrets) {
    const value = Buffer.from(bytes).toString("utf8");
    if (/[\r\n\0]/.test(value))
      throw new SecretStoreError(
        `the secret "${name}" holds a line break or NUL, which an env file cannot carry; apply it to a container as a file instead (nothing was written)`,
      );
    const envName = name.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
    names.push(envName);
    lines.push(`${envName}=${value}`);
  }
  writeAtomic(path, `${lines.join("\n")}\n`);
  return names;
}
