import { randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fsyncSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/** What the replaced file keeps: its permission bits and its owner. */
export interface KeptAttributes {
  mode: number;
  uid: number;
  gid: number;
}

/**
 * Writes pieces of text to a descriptor in large blocks, so millions of small pieces cost few
 * system calls. Each piece is encoded straight into one reused block: joining the pieces into a
 * string first, then encoding it, took twice as long (a report's block turns two-byte as soon as
 * one message holds a character past Latin-1), and allocated each block twice.
 */
export class BufferedFileWriter {
  private readonly block: Buffer;
  private used = 0;
  /** A high surrogate that ended the last piece: it is encoded with the low one that follows. */
  private carried = "";
  constructor(
    private readonly fd: number,
    blockBytes = 1 << 20,
  ) {
    this.block = Buffer.allocUnsafe(blockBytes);
  }

  write(chunk: string): void {
    let text = this.carried === "" ? chunk : this.carried + chunk;
    this.carried = "";
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.carried = text.slice(-1);
      text = text.slice(0, -1);
    }
    // A UTF-16 code unit takes at most 3 bytes of UTF-8 (a surrogate pair, 4 for 2 units).
    if (text.length * 3 > this.block.length - this.used) {
      this.flush(false);
      if (text.length * 3 > this.block.length) {
        this.writeAll(Buffer.from(text, "utf8"));
        return;
      }
    }
    this.used += this.block.write(text, this.used, "utf8");
  }

  /** Writes what is buffered; `final` (the default) also writes a high surrogate left alone at the end. */
  flush(final = true): void {
    if (final && this.carried !== "") {
      const alone = this.carried;
      this.carried = "";
      if (this.block.length - this.used < 3) this.flush(false);
      this.used += this.block.write(alone, this.used, "utf8");
    }
    if (this.used === 0) return;
    this.writeAll(this.block.subarray(0, this.used));
    this.used = 0;
  }

  private writeAll(bytes: Buffer): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }
}

/**
 * Replaces `path` with the text `produce` writes, so that at every moment the file holds either
 * its old content or the whole new one (a full disk, a crash or a kill leaves the old file):
 * the text goes to a new file in the same directory (so the rename stays on one file system),
 * is flushed to disk, gets the mode and owner of the file it replaces, and is renamed over it;
 * then the directory is flushed so the rename itself survives a crash. On any failure the
 * temporary file is removed and the error is thrown.
 */
export function writeFileAtomic(
  path: string,
  produce: (write: (chunk: string) => void) => void,
  keep?: KeptAttributes,
): void {
  const temporary = join(dirname(path), `.${basename(path)}.shipshape-${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  let closed = false;
  try {
    const writer = new BufferedFileWriter(fd);
    produce((chunk) => writer.write(chunk));
    writer.flush();
    if (keep) {
      fchmodSync(fd, keep.mode & 0o7777);
      if (keep.uid !== process.getuid?.() || keep.gid !== process.getgid?.())
        fchownSync(fd, keep.uid, keep.gid);
    } else {
      fchmodSync(fd, 0o666 & ~process.umask());
    }
    fsyncSync(fd);
    closeSync(fd);
    closed = true;
    renameSync(temporary, path);
  } catch (e) {
    if (!closed) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // Already renamed or never created: nothing to clean up.
    }
    throw e;
  }
  syncDirectory(dirname(path));
}

/** Flushes a directory's entries (the rename); some file systems refuse, which costs only durability. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    fsyncSync(fd);
  } catch {
    // Not every file system lets a directory be flushed; the rename has still happened.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
