import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, type Stats } from "node:fs";
import type { InputError } from "../engine/finding";
import { checkText, MAX_FILE_BYTES } from "./yaml-source";

/** The command-line name of standard input. */
export const STDIN_NAME = "-";
/** How long a pipe or FIFO may take to deliver all its data, unless the caller says otherwise. */
export const DEFAULT_READ_TIMEOUT_MS = 60_000;

export interface ReadTextOptions {
  /**
   * Give up on a pipe, FIFO or socket that has not delivered all its data (up to its end) after
   * this long. Regular files are read whatever their size (up to the limit). @default 60000
   */
  timeoutMs?: number;
}

/** What identifies a regular file's content as read: a later write checks it is unchanged. */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  mode: number;
  uid: number;
  gid: number;
}

/** The text, and for a regular file its identity when it was read. */
export type ReadTextResult = { text: string; identity?: FileIdentity } | { error: InputError };

const utf8 = new TextDecoder("utf-8", { fatal: true });
/** Reads of streams wait this long between polls when nothing has arrived yet. */
const POLL_MS = 5;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const tooLarge = (bytes: number | string) =>
  `file is ${typeof bytes === "number" ? mib(bytes) : bytes} MiB; shipshape reads files up to ${MAX_FILE_BYTES / 1024 / 1024} MiB — split it or pass a smaller file`;

/**
 * Reads a file's text through the guards every file read must pass, however the file was
 * reached (command line, directory walk, `extends.file`, `--daemon-config`):
 * - a regular file over the size limit is refused by its size before any byte is read, and a
 *   file that yields fewer bytes than its size (it shrank, or the read was cut short) is an error;
 * - pipes, FIFOs and `-` (standard input) are read to their end, never by their `stat` size
 *   (which is 0), within the size limit and `timeoutMs`; a FIFO is opened without blocking, so
 *   one with no writer times out instead of hanging;
 * - devices, directories and terminals are refused;
 * - NUL bytes anywhere and invalid UTF-8 are refused.
 * Errors name the file, and the line for a NUL byte.
 */
export function readTextFile(file: string, options: ReadTextOptions = {}): ReadTextResult {
  const fail = (message: string, line = 1) => ({ error: { file, message, line, column: 1 } });
  const path = file === STDIN_NAME ? "/dev/stdin" : file;
  let fd: number;
  let opened = true;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    // A socket (what many process runners give as standard input) cannot be reopened through
    // /dev/stdin or /dev/fd/N; read the descriptor itself then (a blocking read: no timeout).
    const inherited = (e as NodeJS.ErrnoException).code === "ENXIO" ? inheritedDescriptor(path) : undefined;
    if (inherited === undefined) return fail(`cannot open file: ${(e as Error).message}`);
    fd = inherited;
    opened = false;
  }
  try {
    const stats = fstatSync(fd);
    const refused = refusedKind(file, stats);
    if (refused) return fail(refused);
    let content: Buffer;
    let identity: FileIdentity | undefined;
    if (stats.isFile()) {
      if (stats.size > MAX_FILE_BYTES) return fail(tooLarge(stats.size));
      const read = readRegular(fd, stats.size);
      if (read.length > MAX_FILE_BYTES) return fail(tooLarge(read.length));
      if (read.length < stats.size) {
        return fail(
          `read only ${read.length} of the file's ${stats.size} bytes (it changed while being read); run again when it is complete`,
        );
      }
      content = read;
      const { dev, ino, size, mtimeMs, mode, uid, gid } = stats;
      identity = { dev, ino, size, mtimeMs, mode, uid, gid };
    } else {
      const namedFifo = file !== STDIN_NAME && isNamedFifo(path);
      const streamed = readStream(fd, namedFifo, options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS);
      if ("error" in streamed) return fail(streamed.error);
      content = streamed.bytes;
    }
    const problem = checkText(file, content);
    if (problem) return { error: { line: 1, column: 1, ...problem } };
    let text: string;
    try {
      text = utf8.decode(content);
    } catch {
      return fail("not UTF-8 text; shipshape reads UTF-8 YAML, JSON and Dockerfiles");
    }
    const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    return identity ? { text: withoutBom, identity } : { text: withoutBom };
  } catch (e) {
    return fail(`cannot read file: ${(e as Error).message}`);
  } finally {
    if (opened) closeSync(fd);
  }
}

/** Why a file of this kind is not read, or `undefined` for files, pipes, FIFOs and sockets. */
function refusedKind(file: string, stats: Stats): string | undefined {
  if (stats.isDirectory()) return "is a directory; name a file, or give the directory to walk it";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) {
    return file === STDIN_NAME
      ? "standard input is a terminal or device; pipe a file into it (`shipshape audit - < file.yaml`)"
      : "is a device, not a file; shipshape reads files, pipes and FIFOs";
  }
  return undefined;
}

/** The descriptor number `/dev/stdin`, `/dev/fd/N` and `/proc/self/fd/N` name. */
function inheritedDescriptor(path: string): number | undefined {
  if (path === "/dev/stdin") return 0;
  const match = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(path);
  return match ? Number(match[1]) : undefined;
}

function isNamedFifo(path: string): boolean {
  try {
    return lstatSync(path).isFIFO();
  } catch {
    return false;
  }
}

/** Reads a regular file to its end, but never more than one byte past the size limit. */
function readRegular(fd: number, size: number): Buffer {
  const limit = MAX_FILE_BYTES + 1;
  // One byte past the size: a file read whole then reads as its end without a larger copy.
  let buffer = Buffer.allocUnsafe(Math.min(Math.max(size + 1, 4096), limit));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length >= limit) break;
      const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit));
      buffer.copy(bigger, 0, 0, length);
      buffer = bigger;
    }
    const n = readSync(fd, buffer, length, buffer.length - length, null);
    if (n === 0) break;
    length += n;
  }
  return buffer.subarray(0, length);
}

/**
 * Reads a pipe, FIFO or socket to its end without ever blocking: `EAGAIN` means a writer is
 * there with nothing to say yet. A named FIFO that no writer has opened also reads as end of
 * file, so before any sign of a writer an end of file means "keep waiting".
 */
function readStream(
  fd: number,
  namedFifo: boolean,
  timeoutMs: number,
): { bytes: Buffer } | { error: string } {
  const deadline = Date.now() + timeoutMs;
  const chunks: Buffer[] = [];
  let length = 0;
  let writerSeen = !namedFifo;
  const chunk = Buffer.allocUnsafe(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      writerSeen = true;
      n = -1;
    }
    if (n > 0) {
      writerSeen = true;
      chunks.push(Buffer.from(chunk.subarray(0, n)));
      length += n;
      if (length > MAX_FILE_BYTES) return { error: tooLarge(`over ${mib(MAX_FILE_BYTES)}`) };
      continue;
    }
    if (n === 0 && writerSeen) break;
    if (Date.now() >= deadline) {
      const what = namedFifo ? "FIFO" : "pipe";
      const state =
        length === 0 ? "no data arrived" : `only ${length} bytes arrived and the ${what} was not closed`;
      return {
        error: `${state} within ${timeoutMs / 1000} s (is a writer attached to the ${what}?); pass a complete file, or raise --timeout`,
      };
    }
    sleep(POLL_MS);
  }
  return { bytes: Buffer.concat(chunks, length) };
}
