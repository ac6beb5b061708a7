/**
 * Tar-slip-safe restore. Every entry is judged before anything is written: paths must be
 * relative and stay inside the target (no `..`, no absolute path, no NUL), symlinks and hard
 * links must point inside it, device files, fifos and unknown types are refused, and so are
 * setuid/setgid bits. Files are written with O_EXCL|O_NOFOLLOW under directories the restore
 * made itself, and symlinks are created last, so no entry can be written through one.
 */
import {
  chmodSync,
  chownSync,
  closeSync,
  constants,
  lchownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  symlinkSync,
  writeSync,
} from "node:fs";
import { join, posix } from "node:path";
import { openBackup } from "./backup";
import { readTar, type TarEntry, TarEntryType } from "./tar";

export interface RefusedEntry {
  /** The path as the archive spells it (control characters escaped). */
  path: string;
  reason: string;
}

export interface RestorePlan {
  /** Entries to write, in order: directories, files, hard links, then symlinks. */
  accepted: (TarEntry & { target: string })[];
  refused: RefusedEntry[];
}

export interface RestoreResult {
  restored: string[];
  refused: RefusedEntry[];
}

const printable = (s: string) =>
  JSON.stringify(s)
    .slice(1, -1)
    .replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** A relative path inside the volume, normalized; or why it is not one. */
function insidePath(raw: string): { path: string } | { reason: string } {
  if (raw.includes("\0")) return { reason: "the path contains a NUL byte" };
  if (raw.startsWith("/")) return { reason: "absolute path" };
  if (/^[A-Za-z]:[\\/]/.test(raw) || raw.startsWith("\\")) return { reason: "absolute path (Windows form)" };
  const segments = raw.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) return { reason: "path traversal (a '..' segment)" };
  if (segments.length === 0) return { reason: "empty path (the volume root itself)" };
  return { path: segments.join("/") };
}

/** Judges every entry of an archive; writes nothing. */
export function planRestore(entries: readonly TarEntry[]): RestorePlan {
  const refused: RefusedEntry[] = [];
  const dirs: RestorePlan["accepted"] = [];
  const files: RestorePlan["accepted"] = [];
  const hardlinks: RestorePlan["accepted"] = [];
  const symlinks: RestorePlan["accepted"] = [];
  const seen = new Map<string, TarEntryType>();
  const refuse = (e: TarEntry, reason: string) => refused.push({ path: printable(e.path), reason });
  for (const e of entries) {
    const where = insidePath(e.path);
    if ("reason" in where) {
      refuse(e, where.reason);
      continue;
    }
    const path = where.path;
    if (e.mode & 0o6000) {
      refuse(e, `setuid/setgid bit set (mode ${(e.mode & 0o7777).toString(8)})`);
      continue;
    }
    const existing = seen.get(path);
    if (
      existing !== undefined &&
      !(existing === TarEntryType.Directory && e.type === TarEntryType.Directory)
    ) {
      refuse(e, "a second entry for the same path");
      continue;
    }
    switch (e.type) {
      case TarEntryType.Directory:
        if (existing === undefined) dirs.push({ ...e, target: path });
        break;
      case TarEntryType.File:
        files.push({ ...e, target: path });
        break;
      case TarEntryType.Symlink: {
        const link = e.linkTarget ?? "";
        if (link === "" || link.includes("\0")) {
          refuse(e, "symlink without a usable target");
          continue;
        }
        if (link.startsWith("/")) {
          refuse(e, `symlink to an absolute path (${printable(link)}), outside the volume`);
          continue;
        }
        const resolved = posix.normalize(posix.join(posix.dirname(path), link));
        if (resolved === ".." || resolved.startsWith("../") || resolved.startsWith("/")) {
          refuse(e, `symlink pointing outside the volume (${printable(link)})`);
          continue;
        }
        symlinks.push({ ...e, target: path });
        break;
      }
      case TarEntryType.Hardlink: {
        const source = insidePath(e.linkTarget ?? "");
        if ("reason" in source) {
          refuse(
            e,
            `hard link to a path outside the volume (${printable(e.linkTarget ?? "")}: ${source.reason})`,
          );
          continue;
        }
        if (seen.get(source.path) !== TarEntryType.File) {
          refuse(e, `hard link to ${printable(source.path)}, which is not a file restored before it`);
          continue;
        }
        hardlinks.push({ ...e, target: path, linkTarget: source.path });
        break;
      }
      case TarEntryType.CharDevice:
      case TarEntryType.BlockDevice:
        refuse(e, "device file");
        continue;
      case TarEntryType.Fifo:
        refuse(e, "fifo");
        continue;
      default:
        refuse(e, "an entry type restore does not write");
        continue;
    }
    seen.set(path, e.type);
  }
  // Nothing may be written through a symlink of the archive: refuse entries beneath one.
  const linkPaths = new Set(symlinks.map((s) => s.target));
  const underLink = (p: string) => {
    const parts = p.split("/");
    for (let i = 1; i < parts.length; i++) if (linkPaths.has(parts.slice(0, i).join("/"))) return true;
    return false;
  };
  const keep = (list: RestorePlan["accepted"]) =>
    list.filter((e) => {
      if (!underLink(e.target)) return true;
      refused.push({ path: printable(e.path), reason: "its path goes through a symlink of the archive" });
      return false;
    });
  const accepted = [...keep(dirs), ...keep(files), ...keep(hardlinks), ...keep(symlinks)];
  return { accepted, refused };
}

export interface WriteOptions {
  /** Owner of everything restored, `uid:gid` numbers (the volume's user). @default the archive's own */
  owner?: { uid: number; gid: number };
}

/**
 * Restores a verified tar archive into an empty (or missing) directory. Nothing is written when
 * the archive is malformed or the target is not empty.
 */
export function restoreArchive(
  tar: Uint8Array,
  targetDir: string,
  options: WriteOptions = {},
): RestoreResult {
  const entries = readTar(tar);
  const plan = planRestore(entries);
  mkdirSync(targetDir, { recursive: true, mode: 0o700 });
  if (readdirSync(targetDir).length > 0)
    throw new Error(`${targetDir} is not empty: restore into an empty directory (a fresh volume)`);
  const restored: string[] = [];
  const own = (p: string, e: TarEntry) => {
    const o = options.owner ?? { uid: e.uid, gid: e.gid };
    chownSync(p, o.uid, o.gid);
  };
  const ensureParent = (rel: string) => {
    const parts = rel.split("/").slice(0, -1);
    let at = targetDir;
    for (const part of parts) {
      at = join(at, part);
      let st: ReturnType<typeof lstatSync> | undefined;
      try {
        st = lstatSync(at);
      } catch {
        mkdirSync(at, { mode: 0o700 });
        continue;
      }
      if (!st.isDirectory() || st.isSymbolicLink())
        throw new Error(`${at} is not a directory the restore made`);
    }
  };
  for (const e of plan.accepted) {
    const dest = join(targetDir, e.target);
    ensureParent(e.target);
    switch (e.type) {
      case TarEntryType.Directory:
        mkdirSync(dest, { mode: e.mode & 0o777 });
        break;
      case TarEntryType.File: {
        const fd = openSync(
          dest,
          constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
          e.mode & 0o777,
        );
        try {
          const data = e.data ?? new Uint8Array();
          let off = 0;
          while (off < data.length) off += writeSync(fd, data, off, data.length - off);
        } finally {
          closeSync(fd);
        }
        break;
      }
      case TarEntryType.Hardlink:
        linkSync(join(targetDir, e.linkTarget ?? ""), dest);
        break;
      case TarEntryType.Symlink:
        symlinkSync(e.linkTarget ?? "", dest);
        break;
      default:
        continue;
    }
    if (e.type === TarEntryType.Symlink) {
      const o = options.owner ?? { uid: e.uid, gid: e.gid };
      // lchown: never follow the link.
      lchownSync(dest, o.uid, o.gid);
    } else if (e.type !== TarEntryType.Hardlink) {
      own(dest, e);
      chmodSync(dest, e.mode & 0o777);
    }
    restored.push(e.target);
  }
  return { restored, refused: plan.refused };
}

/** Opens a backup (both checksums verified, decrypted) and restores it: nothing is written unless it verifies. */
export async function restoreBackup(
  manifestPath: string,
  identities: readonly string[],
  targetDir: string,
  options: WriteOptions = {},
): Promise<RestoreResult> {
  const tar = await openBackup(manifestPath, identities);
  return restoreArchive(tar, targetDir, options);
}
