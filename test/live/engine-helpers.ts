import { execFile, spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { describe } from "vitest";

const run = promisify(execFile);

/** Docker tests are skipped only when this is set; CI never sets it. */
export const SKIP_DOCKER = process.env.SHIPSHAPE_SKIP_DOCKER === "1";

/** `describe` for tests that need the real Docker engine. */
export const describeDocker: typeof describe = (SKIP_DOCKER ? describe.skip : describe) as typeof describe;

/** Runs the docker CLI against one engine (argument arrays only). */
export async function docker(socket: string | undefined, args: string[]): Promise<string> {
  const hostArgs = socket ? ["-H", `unix://${socket}`] : [];
  const { stdout } = await run("docker", [...hostArgs, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** Fails loudly, with the way to fix it, when the main engine does not answer. */
export async function requireEngine(): Promise<void> {
  try {
    await docker(undefined, ["version", "--format", "{{.Server.Version}}"]);
  } catch (error) {
    throw new Error(
      `the Docker engine is not reachable (${(error as Error).message.split("\n")[0]}): run scripts/setup.sh, or set SHIPSHAPE_SKIP_DOCKER=1 to skip Docker tests`,
    );
  }
  if (!existsSync("/bin/busybox")) {
    throw new Error(
      "/bin/busybox is missing (Debian's busybox-static builds the test image): run scripts/setup.sh",
    );
  }
}

/** A unique suffix so parallel runs and other engineers' containers never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Builds a tiny image (busybox-static and a few applet links, `sleep` as the command) with
 * `docker import`: there is no registry to pull from.
 */
export async function importBusybox(socket: string | undefined, tag: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-rootfs-"));
  try {
    const root = join(dir, "root");
    mkdirSync(join(root, "bin"), { recursive: true });
    mkdirSync(join(root, "tmp"));
    copyFileSync("/bin/busybox", join(root, "bin", "busybox"));
    for (const applet of ["sh", "sleep", "cat", "id", "grep", "touch", "true"]) {
      symlinkSync("busybox", join(root, "bin", applet));
    }
    const tar = join(dir, "rootfs.tar");
    await run("tar", ["-C", root, "-cf", tar, "."]);
    await docker(socket, ["import", "--change", 'CMD ["sleep","3600"]', tar, tag]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A second dockerd, separate from the main engine in every path it owns. */
export interface ScratchDaemon {
  socket: string;
  configFile: string;
  root: string;
  /** The network namespace it runs in (its TCP listeners are there, not on the host's loopback). */
  netns: string;
  stop(): Promise<void>;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(what());
}

function mountsUnder(root: string): string[] {
  return readFileSync("/proc/mounts", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[1] ?? "")
    .filter((m) => m === root || m.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
}

/**
 * Starts a second dockerd with its own data root, exec root, pidfile, socket and config file, no
 * default bridge, in a network namespace of its own: a dockerd rewrites the shared iptables chains
 * (DOCKER-ISOLATION-…) of the namespace it starts in, which in the host's would drop the main
 * engine's network isolation. `config` is written as its `daemon.json`.
 */
export async function startScratchDaemon(config: Record<string, unknown>): Promise<ScratchDaemon> {
  // Engines starting at the same moment race to create the shared iptables chains; try again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startScratchDaemonOnce(config);
    } catch (error) {
      if (attempt >= 3 || !/iptables/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
}

async function startScratchDaemonOnce(config: Record<string, unknown>): Promise<ScratchDaemon> {
  const root = mkdtempSync(join(tmpdir(), "shipshape-dockerd-"));
  // The remapped root uid must be able to traverse into the data root.
  chmodSync(root, 0o755);
  const socket = join(root, "docker.sock");
  const configFile = join(root, "daemon.json");
  const pidfile = join(root, "dockerd.pid");
  const log = join(root, "dockerd.log");
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  const netns = `shipshape-scratch-${basename(root).slice(-6).toLowerCase()}`;
  await run("ip", ["netns", "add", netns]);
  await run("ip", ["-n", netns, "link", "set", "lo", "up"]);
  const out = openSync(log, "a");
  // nsenter switches the network namespace only (ip netns exec also remounts /sys, hiding the cgroups).
  const child = spawn(
    "nsenter",
    [
      `--net=/run/netns/${netns}`,
      "dockerd",
      "--data-root",
      join(root, "data"),
      "--exec-root",
      join(root, "exec"),
      "--pidfile",
      pidfile,
      "-H",
      `unix://${socket}`,
      "--config-file",
      configFile,
      "--bridge",
      "none",
    ],
    { stdio: ["ignore", out, out], detached: false },
  );
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });
  const stop = async () => {
    if (!exited) {
      // live-restore keeps containers running after dockerd stops: remove them first.
      const ids = await docker(socket, ["ps", "-aq"]).catch(() => "");
      if (ids) await docker(socket, ["rm", "-f", ...ids.split("\n")]).catch(() => undefined);
      child.kill("SIGTERM");
      await waitFor(
        async () => exited,
        30_000,
        () => `dockerd (pid ${child.pid}) did not stop; see ${log}`,
      ).catch(() => child.kill("SIGKILL"));
    }
    // dockerd leaves its remapped root mounted; unmount before removing.
    for (const mount of mountsUnder(root)) await run("umount", ["-l", mount]).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
    await run("ip", ["netns", "delete", netns]).catch(() => undefined);
  };
  try {
    await waitFor(
      async () => {
        if (exited) return true;
        return docker(socket, ["version", "--format", "{{.Server.Version}}"]).then(
          () => true,
          () => false,
        );
      },
      60_000,
      () => `the scratch dockerd did not answer on ${socket}`,
    );
    if (exited)
      throw new Error(
        `the scratch dockerd exited:\n${readFileSync(log, "utf8").split("\n").slice(-8).join("\n")}`,
      );
  } catch (error) {
    await stop();
    throw error;
  }
  return { socket, configFile, root, netns, stop };
}
