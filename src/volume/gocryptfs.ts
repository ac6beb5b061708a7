/**
 * Encrypted-at-rest host directories with gocryptfs (Debian's package, over FUSE): the cipher
 * directory holds only encrypted file names and contents, plus `gocryptfs.conf`, whose master
 * key is itself encrypted with the volume key (scrypt). The key reaches gocryptfs on its standard
 * input, which it reads the password from when that is not a terminal (no `-passfile`/`-extpass`:
 * `/dev/stdin` cannot be opened on the socket Node gives a child, and `-extpass` runs a command):
 * never in argv, the environment or a file.
 *
 * Everything here is plain Node and runs in the dynamic provider's process.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";

export const CONF_FILE = "gocryptfs.conf";

export interface VolumePaths {
  /** `<store>/<name>`: the volume's own directory. */
  root: string;
  /** The ciphertext (what is on disk). */
  cipherDir: string;
  /** Where the plaintext view is mounted while the volume is in use. */
  mountPoint: string;
  /** gocryptfs's own messages (never the key). */
  log: string;
}

export function volumePaths(store: string, name: string): VolumePaths {
  const root = join(store, name);
  return {
    root,
    cipherDir: join(root, "cipher"),
    mountPoint: join(root, "plain"),
    log: join(root, "gocryptfs.log"),
  };
}

/** Decodes the octal escapes of /proc/self/mountinfo. */
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

/** True when a gocryptfs filesystem is mounted at `mountPoint`. */
export function isMounted(mountPoint: string): boolean {
  const info = readFileSync("/proc/self/mountinfo", "utf8");
  for (const line of info.split("\n")) {
    const [left, right] = line.split(" - ");
    if (!left || !right) continue;
    const fields = left.split(" ");
    if (unescapeMountPath(fields[4] ?? "") === mountPoint && (right.split(" ")[0] ?? "") === "fuse.gocryptfs")
      return true;
  }
  return false;
}

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs gocryptfs with the key on its standard input. Its output goes to the volume's log file,
 * not a pipe: the mount daemon inherits it and outlives this process.
 */
function runWithKey(command: string, args: string[], key: string, log: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const fd = openSync(log, "a", 0o600);
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, {
        stdio: ["pipe", fd, fd],
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      });
    } finally {
      closeSync(fd);
    }
    child.on("error", (e) =>
      reject(
        (e as NodeJS.ErrnoException).code === "ENOENT"
          ? new Error(`${command} not found: install Debian's gocryptfs and fuse3 (scripts/setup.sh does)`)
          : e,
      ),
    );
    // `exit`, not `close`: the mount daemon keeps the inherited descriptors open.
    child.on("exit", (code, signal) => resolve({ code, signal }));
    child.stdin?.end(key);
  });
}

function lastLines(log: string): string {
  try {
    return readFileSync(log, "utf8").trim().split("\n").slice(-5).join("\n");
  } catch {
    return "";
  }
}

export interface MountOptions {
  paths: VolumePaths;
  key: string;
  /** Host uid/gid that owns the plaintext root (the container user, shifted by userns-remap). */
  hostUid: number;
  hostGid: number;
}

/** Creates the cipher directory (once) and mounts it; returns true when it had to mount. */
export async function ensureMounted(options: MountOptions): Promise<boolean> {
  const { paths, key } = options;
  if (key.length < 16) throw new Error("the volume key must be at least 16 characters");
  // Root-only: the plaintext view is reached through the engine's bind, never by other host users
  // (the engine may copy an image directory's mode onto the view's root when it first binds it).
  mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  chmodSync(paths.root, 0o700);
  mkdirSync(paths.cipherDir, { recursive: true, mode: 0o700 });
  mkdirSync(paths.mountPoint, { recursive: true, mode: 0o700 });
  if (!existsSync(join(paths.cipherDir, CONF_FILE))) {
    const init = await runWithKey("gocryptfs", ["-init", "-q", paths.cipherDir], key, paths.log);
    if (init.code !== 0)
      throw new Error(
        `gocryptfs -init ${paths.cipherDir} failed (exit ${init.code ?? init.signal}): ${lastLines(paths.log)}`,
      );
  }
  let mounted = false;
  if (!isMounted(paths.mountPoint)) {
    // allow_other: the container's user is not root; the kernel checks permissions (default_permissions).
    const run = await runWithKey(
      "gocryptfs",
      ["-q", "-nosyslog", "-allow_other", "-noexec", "-nosuid", "-nodev", paths.cipherDir, paths.mountPoint],
      key,
      paths.log,
    );
    if (run.code !== 0 || !isMounted(paths.mountPoint))
      throw new Error(
        `gocryptfs could not mount ${paths.cipherDir} on ${paths.mountPoint} (exit ${run.code ?? run.signal}; a wrong key exits 12): ${lastLines(paths.log)}`,
      );
    mounted = true;
  }
  chownSync(paths.mountPoint, options.hostUid, options.hostGid);
  chmodSync(paths.mountPoint, 0o700);
  return mounted;
}

/** Unmounts the plaintext view, if mounted; the data stays encrypted in the cipher directory. */
export async function unmount(mountPoint: string): Promise<void> {
  if (!isMounted(mountPoint)) return;
  const attempt = (args: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn("fusermount3", args, { stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr?.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
  let r = await attempt(["-u", mountPoint]);
  for (let i = 0; r.code !== 0 && i < 10; i++) {
    // The engine may still be releasing the container that used it.
    await new Promise((res) => setTimeout(res, 500));
    if (!isMounted(mountPoint)) return;
    r = await attempt(["-u", mountPoint]);
  }
  if (r.code !== 0) throw new Error(`fusermount3 -u ${mountPoint} failed: ${r.stderr.trim()}`);
}

/** The first id of a user's subordinate range in /etc/subuid or /etc/subgid (userns-remap). */
export function subordinateStart(file: "/etc/subuid" | "/etc/subgid", user: string): number {
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Error(`${file} is not readable: userns-remap user ${user} has no subordinate ids here`);
  }
  for (const line of text.split("\n")) {
    const [name, start] = line.trim().split(":");
    if (name === user && start !== undefined && /^\d+$/.test(start)) return Number(start);
  }
  throw new Error(
    `${file} has no range for ${user}: the engine's userns-remap user (dockerd creates dockremap when it starts with userns-remap)`,
  );
}

/** The id of the volume's current mount, written by whoever mounted it (not secret). */
export function readGeneration(paths: VolumePaths): string | undefined {
  try {
    const text = readFileSync(join(paths.root, "generation"), "utf8").trim();
    return /^[0-9a-f]{16}$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

export function writeGeneration(paths: VolumePaths, generation: string): void {
  writeFileSync(join(paths.root, "generation"), `${generation}\n`, { mode: 0o644 });
}

/**
 * The mount generation a program should ask for: the current one while the volume is mounted,
 * a new one when it is not (a reboot, a first deployment), so that the next `up` mounts it and
 * replaces the containers that bind it.
 */
export function wantedGeneration(paths: VolumePaths): string {
  const current = isMounted(paths.mountPoint) ? readGeneration(paths) : undefined;
  return current ?? randomBytes(8).toString("hex");
}
