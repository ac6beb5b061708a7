/**
 * Encrypted volume backups: a tar archive of the volume's files, encrypted with age (the
 * `age-encryption` library: the reference format, interoperable with the `age` command) to one
 * or more X25519 recipients, next to a manifest that records the archive's checksums and each
 * file's. Only public recipients are needed to back up; restoring needs an identity.
 */
import { createHash } from "node:crypto";
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { type TarEntry, TarEntryType, writeTar } from "./tar";

type Age = typeof import("age-encryption");
/**
 * age-encryption (and the @noble hashes and curves under it, about 150 ms of CPU to load) is
 * loaded when a backup or restore runs, not by every command that registers `volume`.
 */
async function age(): Promise<Age> {
  return import("age-encryption");
}

export const BACKUP_FORMAT = "shipshape-volume-backup/1";
export const ARCHIVE_SUFFIX = ".tar.age";
export const MANIFEST_SUFFIX = ".manifest.json";

/** What a backup records about itself, in `<name>.manifest.json` next to `<name>.tar.age`. */
export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  /** The volume backed up. */
  volume: string;
  /** ISO 8601 time of the backup. */
  createdAt: string;
  /** File name of the encrypted archive, in the same directory. */
  archive: string;
  /** SHA-256 of the tar archive (the plaintext), checked before restore writes anything. */
  sha256: string;
  /** SHA-256 of the encrypted file, checked before it is decrypted. */
  encryptedSha256: string;
  /** Number of entries and bytes of file content. */
  entries: number;
  bytes: number;
  /** Each regular file's SHA-256 by path. */
  files: Record<string, string>;
  /** What the backup left out (sockets, devices), with why. */
  skipped: { path: string; reason: string }[];
}

export interface BackupOptions {
  /** The directory to back up (the mounted volume). */
  source: string;
  /** The volume's name, recorded and used in the file names. */
  volume: string;
  /** Where the backup goes (created when missing). */
  directory: string;
  /** age recipients (`age1…`): public keys, not secrets. */
  recipients: readonly string[];
  /** Keep at most this many backups of the volume in `directory`, deleting the oldest. @default every backup */
  keep?: number;
  /** The time to record. @default now */
  now?: Date;
}

export interface BackupResult {
  manifest: BackupManifest;
  manifestPath: string;
  archivePath: string;
  /** Older backups deleted by `keep`. */
  deleted: string[];
}

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const RECIPIENT = /^age1[0-9a-z]{20,}$/;

/** The entries of a directory tree, sorted, paths relative to it; what cannot be archived is listed. */
export function collectEntries(source: string): {
  entries: TarEntry[];
  skipped: { path: string; reason: string }[];
} {
  const entries: TarEntry[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const path = rel ? `${rel}/${name}` : name;
      const st = lstatSync(full);
      const base = {
        path,
        mode: st.mode & 0o7777,
        uid: st.uid,
        gid: st.gid,
        mtime: Math.floor(st.mtimeMs / 1000),
      };
      if (st.isDirectory()) {
        entries.push({ ...base, type: TarEntryType.Directory });
        walk(full, path);
      } else if (st.isFile()) {
        entries.push({ ...base, type: TarEntryType.File, data: readFileSync(full) });
      } else if (st.isSymbolicLink()) {
        entries.push({ ...base, type: TarEntryType.Symlink, linkTarget: readlinkSync(full) });
      } else {
        skipped.push({ path, reason: "not a file, directory or symlink (socket, fifo or device)" });
      }
    }
  };
  walk(source, "");
  return { entries, skipped };
}

function stamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.(\d{3})Z$/, "$1Z");
}

/** Backs up a directory to an age-encrypted archive and its manifest. */
export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  if (!VOLUME_NAME.test(options.volume))
    throw new Error(
      `volume: ${JSON.stringify(options.volume)} is not a usable name; use letters, digits, '_', '.' and '-'`,
    );
  if (options.recipients.length === 0)
    throw new Error("recipients: give at least one age recipient (age1…) to encrypt the backup to");
  for (const r of options.recipients)
    if (!RECIPIENT.test(r))
      throw new Error(
        `recipients: ${JSON.stringify(r.slice(0, 80))} is not an age X25519 recipient; it starts with "age1" (age-keygen -y prints it)`,
      );
  if (options.keep !== undefined && (!Number.isInteger(options.keep) || options.keep < 1))
    throw new Error(`keep: ${JSON.stringify(options.keep)} must be a whole number of backups, at least 1`);
  const { entries, skipped } = collectEntries(options.source);
  const tar = writeTar(entries);
  const { Encrypter } = await age();
  const encrypter = new Encrypter();
  for (const r of options.recipients) encrypter.addRecipient(r);
  const encrypted = await encrypter.encrypt(tar);
  const files: Record<string, string> = {};
  let bytes = 0;
  for (const e of entries)
    if (e.type === TarEntryType.File && e.data) {
      files[e.path] = sha256(e.data);
      bytes += e.data.length;
    }
  const now = options.now ?? new Date();
  const name = `${options.volume}-${stamp(now)}`;
  mkdirSync(options.directory, { recursive: true, mode: 0o700 });
  const archivePath = join(options.directory, `${name}${ARCHIVE_SUFFIX}`);
  const manifestPath = join(options.directory, `${name}${MANIFEST_SUFFIX}`);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    volume: options.volume,
    createdAt: now.toISOString(),
    archive: basename(archivePath),
    sha256: sha256(tar),
    encryptedSha256: sha256(encrypted),
    entries: entries.length,
    bytes,
    files,
    skipped,
  };
  // Written under temporary names and renamed: a listed backup is always complete.
  writeFileSync(`${archivePath}.partial`, encrypted, { mode: 0o600 });
  writeFileSync(`${manifestPath}.partial`, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${archivePath}.partial`, archivePath);
  renameSync(`${manifestPath}.partial`, manifestPath);
  const deleted: string[] = [];
  if (options.keep !== undefined) {
    const mine = listBackups(options.directory).filter((b) => b.manifest.volume === options.volume);
    for (const old of mine.slice(0, Math.max(0, mine.length - options.keep))) {
      rmSync(join(options.directory, old.manifest.archive), { force: true });
      rmSync(old.manifestPath, { force: true });
      deleted.push(old.manifestPath);
    }
  }
  return { manifest, manifestPath, archivePath, deleted };
}

export interface ListedBackup {
  manifestPath: string;
  manifest: BackupManifest;
}

/** Reads and checks a manifest file. */
export function readManifest(manifestPath: string): BackupManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (e) {
    throw new Error(`${manifestPath}: not a readable backup manifest (${(e as Error).message})`);
  }
  const m = parsed as Partial<BackupManifest>;
  if (
    m === null ||
    typeof m !== "object" ||
    m.format !== BACKUP_FORMAT ||
    typeof m.archive !== "string" ||
    basename(m.archive) !== m.archive ||
    typeof m.sha256 !== "string" ||
    typeof m.encryptedSha256 !== "string" ||
    typeof m.volume !== "string"
  )
    throw new Error(`${manifestPath}: not a ${BACKUP_FORMAT} manifest`);
  return m as BackupManifest;
}

/** The backups in a directory, oldest first. */
export function listBackups(directory: string): ListedBackup[] {
  const out: ListedBackup[] = [];
  for (const name of readdirSync(directory).sort()) {
    if (!name.endsWith(MANIFEST_SUFFIX)) continue;
    const manifestPath = join(directory, name);
    out.push({ manifestPath, manifest: readManifest(manifestPath) });
  }
  return out.sort((a, b) => a.manifest.createdAt.localeCompare(b.manifest.createdAt));
}

/** Reads a backup's archive, checks both checksums and decrypts it: the verified tar, or an error. */
export async function openBackup(manifestPath: string, identities: readonly string[]): Promise<Uint8Array> {
  const manifest = readManifest(manifestPath);
  const archivePath = join(manifestPath, "..", manifest.archive);
  const encrypted = readFileSync(archivePath);
  if (sha256(encrypted) !== manifest.encryptedSha256)
    throw new Error(
      `${archivePath}: its SHA-256 differs from the one ${basename(manifestPath)} records; the archive was changed or damaged, nothing was restored`,
    );
  if (identities.length === 0)
    throw new Error("give the age identity (AGE-SECRET-KEY-1…) the backup was encrypted to");
  const { Decrypter } = await age();
  const decrypter = new Decrypter();
  for (const id of identities) decrypter.addIdentity(id);
  let tar: Uint8Array;
  try {
    tar = await decrypter.decrypt(encrypted, "uint8array");
  } catch (e) {
    throw new Error(`${archivePath}: cannot decrypt it with the identity given (${(e as Error).message})`);
  }
  if (sha256(tar) !== manifest.sha256)
    throw new Error(
      `${archivePath}: the decrypted archive's SHA-256 differs from the manifest's; nothing was restored`,
    );
  return tar;
}

/** The identities of an age identity file's text (`AGE-SECRET-KEY-1…` lines; comments skipped). */
export function parseIdentities(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .filter((l) => l.startsWith("AGE-SECRET-KEY-1"));
}
