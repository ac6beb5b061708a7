import { join as joinPath } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { packageModulePath } from "../../program/module-path";

/** What the mount resource is given; `key` arrives as a secret and stays one in the state. */
export interface MountInputs {
  volume: string;
  storeDirectory: string;
  uid: number;
  gid: number;
  userNamespaceRemap?: string;
  key: string;
  backupOnDestroy?: { directory: string; recipients: string[]; keep?: number };
  /**
   * The mount's id: the program asks for the current one while the volume is mounted and a new
   * one when it is not (see `wantedGeneration`), so a remount is a change `up` carries out, and
   * the containers binding the volume are replaced with it.
   */
  generation: string;
}

export interface MountOutputs extends MountInputs {
  cipherDir: string;
  mountPoint: string;
  hostUid: number;
  hostGid: number;
}

/**
 * The modules the provider loads, by absolute path: it runs in another process after closure
 * serialization, so it captures these strings, never a module, client or class.
 */
const GOCRYPTFS_MODULE = packageModulePath(joinPath(__dirname, "..", "..", "volume"), "gocryptfs");
const BACKUP_MODULE = packageModulePath(joinPath(__dirname, "..", "..", "volume"), "backup");
/** In development the modules are TypeScript: tsx's require hook, also by absolute path. */
const TS_HOOK = GOCRYPTFS_MODULE.endsWith(".ts") ? require.resolve("tsx/cjs/api") : "";

function load() {
  if (TS_HOOK) require(TS_HOOK).register();
  return {
    fs: require(GOCRYPTFS_MODULE) as typeof import("../../volume/gocryptfs"),
    backup: require(BACKUP_MODULE) as typeof import("../../volume/backup"),
  };
}

async function mount(inputs: MountInputs): Promise<MountOutputs> {
  const { fs } = load();
  const paths = fs.volumePaths(inputs.storeDirectory, inputs.volume);
  const hostUid =
    inputs.uid +
    (inputs.userNamespaceRemap ? fs.subordinateStart("/etc/subuid", inputs.userNamespaceRemap) : 0);
  const hostGid =
    inputs.gid +
    (inputs.userNamespaceRemap ? fs.subordinateStart("/etc/subgid", inputs.userNamespaceRemap) : 0);
  await fs.ensureMounted({ paths, key: inputs.key, hostUid, hostGid });
  fs.writeGeneration(paths, inputs.generation);
  return { ...inputs, cipherDir: paths.cipherDir, mountPoint: paths.mountPoint, hostUid, hostGid };
}

/**
 * The dynamic provider of an encrypted Docker volume: `create` initializes the gocryptfs cipher
 * directory and mounts it, `diff` notices a volume no longer mounted (a reboot) so `up` remounts
 * it, `delete` optionally backs it up, unmounts it and removes its directory.
 */
export const encryptedMountProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: MountInputs, news: MountInputs) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (typeof news.key !== "string" || news.key.length < 16)
      failures.push({
        property: "key",
        reason: "key: the volume key must be a string of at least 16 characters",
      });
    return { inputs: news, failures };
  },

  async create(inputs: MountInputs) {
    const outs = await mount(inputs);
    return { id: outs.mountPoint, outs };
  },

  async diff(_id: string, olds: MountOutputs, news: MountInputs) {
    const replaces: string[] = [];
    if (olds.volume !== news.volume) replaces.push("volume");
    if (olds.storeDirectory !== news.storeDirectory) replaces.push("storeDirectory");
    if (replaces.length > 0) return { changes: true, replaces, deleteBeforeReplace: true };
    const changed =
      olds.key !== news.key ||
      olds.uid !== news.uid ||
      olds.gid !== news.gid ||
      (olds.userNamespaceRemap ?? "") !== (news.userNamespaceRemap ?? "") ||
      olds.generation !== news.generation ||
      JSON.stringify(olds.backupOnDestroy ?? null) !== JSON.stringify(news.backupOnDestroy ?? null);
    const { fs } = load();
    // Not mounted any more (a reboot, a manual unmount): the next `up` mounts it again.
    return { changes: changed || !fs.isMounted(olds.mountPoint) };
  },

  async update(_id: string, olds: MountOutputs, news: MountInputs) {
    if (olds.key !== news.key)
      throw new Error(
        `EncryptedVolume ${news.volume}: the key of an encrypted volume cannot change in place (its data is encrypted with the old one); back the volume up, replace it (a new name) and restore into it`,
      );
    return { outs: await mount(news) };
  },

  async delete(_id: string, olds: MountOutputs) {
    const { fs, backup } = load();
    const paths = fs.volumePaths(olds.storeDirectory, olds.volume);
    const { existsSync, rmSync } = require("node:fs") as typeof import("node:fs");
    const { join } = require("node:path") as typeof import("node:path");
    if (olds.backupOnDestroy && existsSync(join(paths.cipherDir, fs.CONF_FILE))) {
      await fs.ensureMounted({ paths, key: olds.key, hostUid: olds.hostUid, hostGid: olds.hostGid });
      await backup.createBackup({
        source: paths.mountPoint,
        volume: olds.volume,
        directory: olds.backupOnDestroy.directory,
        recipients: olds.backupOnDestroy.recipients,
        ...(olds.backupOnDestroy.keep === undefined ? {} : { keep: olds.backupOnDestroy.keep }),
      });
    }
    await fs.unmount(paths.mountPoint);
    rmSync(paths.root, { recursive: true, force: true });
  },
};
