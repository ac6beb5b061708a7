/**
 * EncryptedVolume on a real Docker engine with real gocryptfs mounts: the provider's own
 * create/diff/update/delete mount the volume on this host, the engine binds it as a named volume
 * into a SecureService's container (created from the inputs the component hands to
 * @pulumi/docker, captured under mocks), and what is on disk is read back from the host.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { generateIdentity, identityToRecipient } from "age-encryption";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { EncryptedVolume, SecureService, VolumeKind } from "../../src/components";
import {
  encryptedMountProvider,
  type MountInputs,
  type MountOutputs,
} from "../../src/components/encrypted-volume/provider";
import { type CapturedResource, runUnderMocks } from "../../src/program/mock-run";
import { listBackups } from "../../src/volume/backup";
import { isMounted, readGeneration, volumePaths, wantedGeneration } from "../../src/volume/gocryptfs";
import { restoreBackup } from "../../src/volume/restore";
import { describeDocker, importBusybox, requireEngine, SKIP_DOCKER } from "../live/engine-helpers";
import { containerCreateBody } from "./engine-adapter";

const run = promisify(execFile);
const engine = new Docker();
const prefix = `shipshape-vol16-${process.pid}`;
const image = `${prefix}-img:1`;
const volumeName = `${prefix}-state`;
const service = `${prefix}-svc`;
const MARKER = `heartbeat-plaintext-${randomBytes(6).toString("hex")}`;
let store = "";
let mount: MountOutputs | undefined;
let inputs: MountInputs;
let available = false;

function walkFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walkFiles(join(dir, d.name)) : [join(dir, d.name)],
  );
}

/** The container inputs a SecureService with one encrypted and one ephemeral EncryptedVolume hands to @pulumi/docker. */
async function captureService(): Promise<CapturedResource[]> {
  return runUnderMocks(() => {
    const state = new EncryptedVolume(volumeName, {
      docker: {},
      kind: VolumeKind.Encrypted,
      storeDirectory: store,
      key: "not-used-under-mocks-0123456789",
    });
    const scratch = new EncryptedVolume(`${prefix}-scratch`, {
      docker: {},
      kind: VolumeKind.Ephemeral,
      size: "4Mi",
    });
    new SecureService(service, {
      docker: { networks: ["none"] },
      image,
      command: ["/bin/sleep", "3600"],
      healthCheck: { command: ["/bin/true"] },
      volumes: [
        { volume: state.volumeRef, mountPath: "/data" },
        { volume: scratch.volumeRef, mountPath: "/scratch" },
      ],
    });
  });
}

async function startContainer(captured: CapturedResource[]): Promise<string> {
  const c = captured.find((r) => r.type === "docker:index/container:Container");
  if (!c) throw new Error("no container captured");
  const body = containerCreateBody(c.inputs);
  const container = await engine.createContainer(body);
  await container.start();
  return container.id;
}

async function sh(id: string, script: string): Promise<{ out: string; code: number }> {
  try {
    const { stdout, stderr } = await run("docker", ["exec", id, "/bin/sh", "-c", script]);
    return { out: `${stdout}${stderr}`.trim(), code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    return { out: `${err.stdout ?? ""}${err.stderr ?? ""}`.trim(), code: err.code ?? 1 };
  }
}

async function removeContainer(id: string): Promise<void> {
  await engine
    .getContainer(id)
    .remove({ force: true })
    .catch(() => undefined);
}

beforeAll(async () => {
  if (SKIP_DOCKER) return;
  await requireEngine();
  for (const tool of ["gocryptfs", "fusermount3"])
    await run("sh", ["-c", 'command -v "$0"', tool]).catch(() => {
      throw new Error(
        `${tool} not found: run scripts/setup.sh (Debian's gocryptfs and fuse3), or set SHIPSHAPE_SKIP_DOCKER=1`,
      );
    });
  available = true;
  store = mkdtempSync(join(tmpdir(), `${prefix}-store-`));
  chmodSync(store, 0o711);
  await importBusybox(undefined, image);
  inputs = {
    volume: volumeName,
    storeDirectory: store,
    uid: 10001,
    gid: 10001,
    key: randomBytes(24).toString("base64"),
    generation: wantedGeneration(volumePaths(store, volumeName)),
  };
  mount = (await encryptedMountProvider.create?.(inputs))?.outs as MountOutputs;
  // What the component's docker.Volume asks the engine for: the local driver binding the mount.
  await engine.createVolume({
    Name: volumeName,
    Driver: "local",
    DriverOpts: { type: "none", o: "bind", device: mount.mountPoint },
  });
}, 120_000);

afterAll(async () => {
  if (!available) return;
  const leftovers = await engine.listContainers({ all: true, filters: { name: [prefix] } });
  for (const c of leftovers) await removeContainer(c.Id);
  await engine
    .getVolume(volumeName)
    .remove()
    .catch(() => undefined);
  if (mount) await encryptedMountProvider.delete?.(mount.mountPoint, mount);
  await run("docker", ["image", "rm", "--force", image]).catch(() => undefined);
  rmSync(store, { recursive: true, force: true });
}, 120_000);

describeDocker("EncryptedVolume on a real engine", () => {
  it("keeps only ciphertext on the host, and the service reads its data back after a remount", async () => {
    if (!mount) throw new Error("not mounted");
    const captured = await captureService();
    const volumeInputs = captured.find((r) => r.type === "docker:index/volume:Volume")?.inputs;
    expect(volumeInputs).toMatchObject({
      name: volumeName,
      driver: "local",
      driverOpts: { type: "none", o: "bind" },
    });
    let id = await startContainer(captured);
    expect((await sh(id, `echo ${MARKER} > /data/last-run && cat /data/last-run`)).out).toBe(MARKER);
    expect((await sh(id, "/bin/id -u")).out).toBe("10001");
    // The plaintext view is the service's: owned by its uid, mode 0700.
    // … reached on the host by root only: the volume's directory is 0700.
    expect(statSync(join(store, volumeName)).mode & 0o777).toBe(0o700);
    const st = statSync(mount.mountPoint);
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([10001, 10001, 0o700]);
    // On disk: no file contains the plaintext, and no file name says "last-run".
    const files = walkFiles(mount.cipherDir);
    expect(files.length).toBeGreaterThan(2);
    for (const f of files) expect(readFileSync(f).includes(Buffer.from(MARKER)), f).toBe(false);
    expect(files.some((f) => f.includes("last-run"))).toBe(false);
    // The key is in no process's argv or environment: the gocryptfs daemon serving this mount
    // was handed it on stdin only.
    const daemons = readdirSync("/proc")
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, "utf8")
            .split("\0")
            .includes(mount?.mountPoint ?? "");
        } catch {
          return false;
        }
      });
    expect(daemons.length).toBe(1);
    for (const pid of daemons) {
      expect(readFileSync(`/proc/${pid}/cmdline`, "utf8")).not.toContain(inputs.key);
      expect(readFileSync(`/proc/${pid}/environ`, "utf8")).not.toContain(inputs.key);
    }
    for (const f of walkFiles(join(store, volumeName)))
      expect(readFileSync(f, "utf8").includes(inputs.key), f).toBe(false);
    const grep = await run("grep", ["-r", "-l", MARKER, mount.cipherDir]).catch((e) => e as { code: number });
    expect((grep as { code?: number }).code).toBe(1);

    // A reboot, as far as the volume can tell: the container goes, the mount goes.
    await removeContainer(id);
    await run("fusermount3", ["-u", mount.mountPoint]);
    expect(isMounted(mount.mountPoint)).toBe(false);
    expect(readdirSync(mount.mountPoint)).toEqual([]);
    // Unmounted, the program asks for a new generation; and diff notices even with the old one.
    const paths = volumePaths(store, volumeName);
    expect((await encryptedMountProvider.diff?.(mount.mountPoint, mount, inputs))?.changes).toBe(true);
    const next = wantedGeneration(paths);
    expect(next).not.toBe(inputs.generation);
    inputs = { ...inputs, generation: next };
    // `pulumi up` runs update, which mounts it again and records the generation.
    const updated = (await encryptedMountProvider.update?.(mount.mountPoint, mount, inputs))
      ?.outs as MountOutputs;
    expect(isMounted(mount.mountPoint)).toBe(true);
    expect(readGeneration(paths)).toBe(next);
    // Mounted, the program asks for the generation it has: the next up is a no-op.
    expect(wantedGeneration(paths)).toBe(next);
    mount = updated;
    expect((await encryptedMountProvider.diff?.(mount.mountPoint, mount, inputs))?.changes).toBe(false);
    id = await startContainer(captured);
    expect((await sh(id, "cat /data/last-run")).out).toBe(MARKER);
    await removeContainer(id);
  }, 120_000);

  it("refuses a wrong key without mounting anything", async () => {
    if (!mount) throw new Error("not mounted");
    await removeContainer(service);
    await run("fusermount3", ["-u", mount.mountPoint]);
    const wrong = { ...inputs, key: "a-wrong-key-of-enough-length" };
    await expect(
      encryptedMountProvider.update?.(mount.mountPoint, { ...mount, key: wrong.key }, wrong),
    ).rejects.toThrow(/could not mount.*wrong key/s);
    expect(isMounted(mount.mountPoint)).toBe(false);
    mount = (await encryptedMountProvider.update?.(mount.mountPoint, mount, inputs))?.outs as MountOutputs;
    expect(isMounted(mount.mountPoint)).toBe(true);
  }, 60_000);

  it("ephemeral: noexec (EACCES), size limit (ENOSPC), and nothing left after the container is recreated", async () => {
    const captured = await captureService();
    let id = await startContainer(captured);
    const mounts =
      (await sh(id, "cat /proc/mounts")).out.split("\n").find((l) => l.split(" ")[1] === "/scratch") ?? "";
    expect(mounts).toMatch(/^tmpfs \/scratch tmpfs /);
    for (const opt of ["nosuid", "nodev", "noexec", "size=4096k"]) expect(mounts).toContain(opt);
    const exec = await sh(id, "/bin/busybox cp /bin/busybox /scratch/bb && /scratch/bb true");
    expect(exec.code).toBe(126);
    expect(exec.out).toMatch(/Permission denied/); // strerror(EACCES)
    const full = await sh(id, "/bin/busybox dd if=/dev/zero of=/scratch/big bs=1M count=8");
    expect(full.code).not.toBe(0);
    expect(full.out).toMatch(/No space left on device/); // strerror(ENOSPC)
    expect(
      (
        await sh(
          id,
          "/bin/busybox rm /scratch/big /scratch/bb && echo kept > /scratch/marker && cat /scratch/marker",
        )
      ).out,
    ).toBe("kept");
    await removeContainer(id);
    id = await startContainer(captured);
    expect((await sh(id, "ls -A /scratch")).out).toBe("");
    // The encrypted volume next to it keeps its data across the same recreation.
    expect((await sh(id, "cat /data/last-run")).out).toBe(MARKER);
    await removeContainer(id);
  }, 120_000);

  it("delete unmounts and removes the volume's directory", async () => {
    if (!mount) throw new Error("not mounted");
    for (const c of await engine.listContainers({ all: true, filters: { name: [prefix] } }))
      await removeContainer(c.Id);
    await engine.getVolume(volumeName).remove();
    await encryptedMountProvider.delete?.(mount.mountPoint, mount);
    expect(isMounted(mount.mountPoint)).toBe(false);
    expect(existsSync(join(store, volumeName))).toBe(false);
    mount = undefined;
  }, 60_000);

  it("backup on destroy, then restore into a fresh encrypted volume, keeps every byte (checksums)", async () => {
    const identity = await generateIdentity();
    const backups = join(store, "backups");
    const volume = `${prefix}-roundtrip`;
    const args: MountInputs = {
      volume,
      storeDirectory: store,
      uid: 10001,
      gid: 10001,
      key: randomBytes(24).toString("base64"),
      generation: "0123456789abcdef",
      backupOnDestroy: { directory: backups, recipients: [await identityToRecipient(identity)], keep: 2 },
    };
    const first = (await encryptedMountProvider.create?.(args))?.outs as MountOutputs;
    mkdirSync(join(first.mountPoint, "db"));
    const blob = randomBytes(1_000_000);
    writeFileSync(join(first.mountPoint, "db", "pages.bin"), blob);
    writeFileSync(join(first.mountPoint, "state.json"), `{"marker":"${MARKER}"}`);
    await encryptedMountProvider.delete?.(first.mountPoint, first);
    // Destroyed: nothing mounted, nothing left of the volume, one backup written.
    expect(isMounted(first.mountPoint)).toBe(false);
    expect(existsSync(join(store, volume))).toBe(false);
    const [backup, ...more] = listBackups(backups);
    expect(more).toEqual([]);
    expect(backup?.manifest.files["db/pages.bin"]).toBe(createHash("sha256").update(blob).digest("hex"));
    expect(readFileSync(join(backups, backup?.manifest.archive ?? "")).includes(Buffer.from(MARKER))).toBe(
      false,
    );
    // A fresh volume (new key), restored from the backup with the volume's owner.
    const fresh = (
      await encryptedMountProvider.create?.({ ...args, key: randomBytes(24).toString("base64") })
    )?.outs as MountOutputs;
    try {
      const result = await restoreBackup(backup?.manifestPath ?? "", [identity], fresh.mountPoint, {
        owner: { uid: 10001, gid: 10001 },
      });
      expect(result.refused).toEqual([]);
      for (const [path, digest] of Object.entries(backup?.manifest.files ?? {}))
        expect(
          createHash("sha256")
            .update(readFileSync(join(fresh.mountPoint, path)))
            .digest("hex"),
          path,
        ).toBe(digest);
      expect(statSync(join(fresh.mountPoint, "db", "pages.bin")).uid).toBe(10001);
      for (const f of walkFiles(fresh.cipherDir))
        expect(readFileSync(f).includes(Buffer.from(MARKER)), f).toBe(false);
    } finally {
      await encryptedMountProvider.delete?.(fresh.mountPoint, {
        ...fresh,
        backupOnDestroy: undefined,
      } as MountOutputs);
    }
  }, 120_000);
});
