/**
 * `shipshape volume attach|detach|list` on a real gocryptfs volume (FUSE) and the real engine:
 * the key comes from a file or standard input; a wrong key mounts nothing; attach shows the
 * plaintext again; detach refuses while a running container uses the view, then unmounts, and
 * the store holds ciphertext only.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ensureMounted, isMounted, unmount, volumePaths } from "../../src/volume/gocryptfs";
import { describeDocker, docker, importBusybox, requireEngine, uniqueName } from "../live/engine-helpers";
import { ROOT } from "../watch/watch-helpers";

const run = promisify(execFile);
const KEY = "a-volume-key-of-32-characters-xy";

function cli(
  args: string[],
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), "volume", ...args],
      {
        cwd: ROOT,
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

describeDocker("shipshape volume attach|detach|list (EncryptedVolumes outside Pulumi)", () => {
  const id = uniqueName("ss21-vol");
  const tag = `${id}-busybox:1`;
  const user = `${id}-user`;
  let store: string;
  let dir: string;
  const paths = () => volumePaths(store, "orders");

  beforeAll(async () => {
    await requireEngine();
    await importBusybox(undefined, tag);
    store = mkdtempSync(join(tmpdir(), `${id}-store-`));
    dir = mkdtempSync(join(tmpdir(), `${id}-`));
    // A volume as EncryptedVolume leaves it after `pulumi up`, then detached.
    await ensureMounted({ paths: paths(), key: KEY, hostUid: 10001, hostGid: 10001 });
    writeFileSync(join(paths().mountPoint, "ledger.txt"), "plaintext-ledger-entry\n");
    await unmount(paths().mountPoint);
  }, 120_000);

  afterAll(async () => {
    await docker(undefined, ["rm", "-f", user]).catch(() => undefined);
    if (store && isMounted(paths().mountPoint)) await unmount(paths().mountPoint).catch(() => undefined);
    for (const d of [store, dir]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it("lists the store's volumes, detached", async () => {
    const r = await cli(["list", "--store", store, "--format", "json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        name: "orders",
        mounted: false,
        cipherDirectory: paths().cipherDir,
        mountPoint: paths().mountPoint,
        owner: "10001:10001",
      },
    ]);
  }, 60_000);

  it("refuses a wrong key and a missing volume, mounting nothing", async () => {
    const keyFile = join(dir, "wrong.key");
    writeFileSync(keyFile, "not-the-volume-key-at-all-00000\n", { mode: 0o600 });
    const wrong = await cli(["attach", "--name", "orders", "--store", store, "--key-file", keyFile]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/a wrong key exits 12/);
    expect(isMounted(paths().mountPoint)).toBe(false);
    const none = await cli(["attach", "--name", "refunds", "--store", store, "--key-file", keyFile]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`no encrypted volume refunds in ${store}`);
  }, 60_000);

  it("attaches with the key on standard input, and the plaintext is back", async () => {
    const r = await cli(["attach", "--name", "orders", "--store", store, "--key-file", "-"], `${KEY}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`orders: attached at ${paths().mountPoint}\n`);
    expect(readFileSync(join(paths().mountPoint, "ledger.txt"), "utf8")).toBe("plaintext-ledger-entry\n");
    const again = await cli(["attach", "--name", "orders", "--store", store, "--key-file", "-"], KEY);
    expect(again.stdout).toBe(`orders: already attached at ${paths().mountPoint}\n`);
    const listed = JSON.parse((await cli(["list", "--store", store, "--format", "json"])).stdout) as {
      mounted: boolean;
    }[];
    expect(listed[0]?.mounted).toBe(true);
  }, 60_000);

  it("detach refuses while a container uses the view, then unmounts; the store holds ciphertext only", async () => {
    await docker(undefined, [
      "run",
      "-d",
      "--name",
      user,
      "--network",
      "none",
      "--user",
      "10001:10001",
      "-v",
      `${paths().mountPoint}:/data`,
      tag,
      "/bin/sleep",
      "600",
    ]);
    const busy = await cli(["detach", "--name", "orders", "--store", store]);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain(`orders is in use by ${user}; stop it first`);
    expect(isMounted(paths().mountPoint)).toBe(true);
    await docker(undefined, ["rm", "-f", user]);
    const r = await cli(["detach", "--name", "orders", "--store", store]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`orders: detached (${paths().mountPoint})\n`);
    expect(isMounted(paths().mountPoint)).toBe(false);
    expect(existsSync(join(paths().mountPoint, "ledger.txt"))).toBe(false);
    // grep exits 1 when nothing matches: no plaintext, and no plaintext file name, in the store.
    const grep = await run("grep", ["-r", "-q", "plaintext-ledger-entry", paths().cipherDir]).then(
      () => 0,
      (e: { code: number }) => e.code,
    );
    expect(grep).toBe(1);
    expect(readdirSync(paths().cipherDir)).not.toContain("ledger.txt");
  }, 120_000);
});
