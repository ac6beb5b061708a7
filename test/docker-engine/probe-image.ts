/**
 * Builds the test image the real-engine tests run: a rootfs of Debian's static busybox plus the
 * static syscall probe (probe.c, compiled here with `gcc -static`), imported with `docker import`.
 */
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** One tag per test process, removed afterwards, so concurrent runs do not share or leak images. */
export const PROBE_IMAGE = `shipshape-test/probe:${process.pid}`;
const APPLETS = ["sh", "id", "touch", "sleep", "true", "cp", "cat", "ls", "echo"];

/** Static busybox from Debian's busybox-static (scripts/docker-engine.sh installs it). */
function staticBusybox(): string {
  for (const p of ["/bin/busybox", "/usr/bin/busybox"]) {
    if (!existsSync(p)) continue;
    // A dynamically linked ELF names its interpreter (/lib64/ld-linux…); a static one does not.
    if (!readFileSync(p).subarray(0, 4096).toString("latin1").includes("ld-linux")) return p;
  }
  throw new Error("static busybox not found: install Debian's busybox-static (run scripts/setup.sh)");
}

export async function buildProbeImage(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-probe-"));
  try {
    const root = join(dir, "rootfs");
    for (const d of ["bin", "tmp", "data", "etc"]) mkdirSync(join(root, d), { recursive: true });
    copyFileSync(staticBusybox(), join(root, "bin", "busybox"));
    for (const a of APPLETS) symlinkSync("busybox", join(root, "bin", a));
    try {
      await run("gcc", ["-static", "-O2", "-o", join(root, "bin", "probe"), join(__dirname, "probe.c")]);
    } catch (e) {
      throw new Error(
        `cannot compile the syscall probe with gcc -static (${(e as Error).message.split("\n")[0]}); install gcc and libc6-dev`,
      );
    }
    const tar = join(dir, "rootfs.tar");
    await run("tar", ["-C", root, "-cf", tar, "."]);
    await run("docker", ["import", tar, PROBE_IMAGE]);
    return PROBE_IMAGE;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a command in a running container with docker exec (as the container's user). */
export async function execIn(
  container: string,
  argv: string[],
): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run("docker", ["exec", container, ...argv]);
    return { stdout: stdout.trim(), stderr: stderr.trim(), code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: (err.stdout ?? "").trim(), stderr: (err.stderr ?? "").trim(), code: err.code ?? 1 };
  }
}

export async function removeProbeImage(): Promise<void> {
  await run("docker", ["image", "rm", "--force", PROBE_IMAGE]).catch(() => undefined);
}

/** Runs the probe image once with the given docker run flags (controls without the profile). */
export async function runOnce(flags: string[], argv: string[]): Promise<string> {
  try {
    const { stdout } = await run("docker", [
      "run",
      "--rm",
      "--network",
      "none",
      ...flags,
      PROBE_IMAGE,
      ...argv,
    ]);
    return stdout.trim();
  } catch (e) {
    return ((e as { stdout?: string }).stdout ?? "").trim();
  }
}
