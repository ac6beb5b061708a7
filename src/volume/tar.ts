/**
 * A small, strict POSIX tar (ustar + pax path records) writer and reader for volume backups.
 * The writer emits only what a backup needs (directories, regular files, symlinks); the reader
 * understands every entry type an archive from elsewhere may carry (hard links, devices, fifos,
 * pax and GNU long names), so that restore can judge each one instead of misreading it.
 */

const BLOCK = 512;

export enum TarEntryType {
  File = "file",
  Directory = "directory",
  Symlink = "symlink",
  Hardlink = "hardlink",
  CharDevice = "char-device",
  BlockDevice = "block-device",
  Fifo = "fifo",
  Other = "other",
}

export interface TarEntry {
  /** The path as the archive spells it (not normalized). */
  path: string;
  type: TarEntryType;
  /** Permission and special bits (`0o7777`). */
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  /** Symlink target or hard-link source, as spelt. */
  linkTarget?: string;
  /** File contents (regular files only). */
  data?: Uint8Array;
}

const TYPE_FLAG: Record<string, TarEntryType> = {
  "0": TarEntryType.File,
  "\0": TarEntryType.File,
  "7": TarEntryType.File,
  "1": TarEntryType.Hardlink,
  "2": TarEntryType.Symlink,
  "3": TarEntryType.CharDevice,
  "4": TarEntryType.BlockDevice,
  "5": TarEntryType.Directory,
  "6": TarEntryType.Fifo,
};

const FLAG_OF: Partial<Record<TarEntryType, string>> = {
  [TarEntryType.File]: "0",
  [TarEntryType.Hardlink]: "1",
  [TarEntryType.Symlink]: "2",
  [TarEntryType.CharDevice]: "3",
  [TarEntryType.BlockDevice]: "4",
  [TarEntryType.Directory]: "5",
  [TarEntryType.Fifo]: "6",
};

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: false });

function writeString(buf: Uint8Array, offset: number, length: number, value: string): boolean {
  const bytes = encoder.encode(value);
  if (bytes.length > length) return false;
  buf.set(bytes, offset);
  return true;
}

function writeOctal(buf: Uint8Array, offset: number, length: number, value: number): void {
  const text = Math.max(0, Math.floor(value))
    .toString(8)
    .padStart(length - 1, "0");
  if (text.length > length - 1) throw new Error(`tar: value ${value} does not fit a ${length}-byte field`);
  writeString(buf, offset, length, `${text}\0`);
}

function header(entry: TarEntry, name: string, size: number, flag: string, linkName = ""): Uint8Array {
  const h = new Uint8Array(BLOCK);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, entry.mode & 0o7777);
  writeOctal(h, 108, 8, entry.uid);
  writeOctal(h, 116, 8, entry.gid);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, entry.mtime);
  h.fill(0x20, 148, 156);
  writeString(h, 156, 1, flag);
  writeString(h, 157, 100, linkName);
  writeString(h, 257, 6, "ustar\0");
  writeString(h, 263, 2, "00");
  let sum = 0;
  for (const b of h) sum += b;
  writeString(h, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return h;
}

function padded(data: Uint8Array): Uint8Array[] {
  const rest = data.length % BLOCK;
  return rest === 0 ? [data] : [data, new Uint8Array(BLOCK - rest)];
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = encoder.encode(body).length;
  let len = bodyLength + String(bodyLength).length;
  // The length counts its own digits: one more digit when adding them crosses a power of ten.
  if (String(len).length !== String(bodyLength).length) len = bodyLength + String(len).length;
  return `${len}${body}`;
}

/** Serializes entries as a tar archive (ustar; a pax record carries a path that does not fit). */
export function writeTar(entries: readonly TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    const flag = FLAG_OF[entry.type];
    if (flag === undefined) throw new Error(`tar: cannot write an entry of type ${entry.type}`);
    const data = entry.type === TarEntryType.File ? (entry.data ?? new Uint8Array()) : new Uint8Array();
    const link = entry.linkTarget ?? "";
    const nameFits = encoder.encode(entry.path).length <= 100;
    const linkFits = encoder.encode(link).length <= 100;
    if (!nameFits || !linkFits) {
      let records = "";
      if (!nameFits) records += paxRecord("path", entry.path);
      if (!linkFits) records += paxRecord("linkpath", link);
      const body = encoder.encode(records);
      parts.push(header(entry, "PaxHeader", body.length, "x"), ...padded(body));
    }
    const shortName = nameFits ? entry.path : entry.path.slice(0, 99);
    const shortLink = linkFits ? link : "";
    parts.push(header(entry, shortName, data.length, flag, shortLink), ...padded(data));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function readString(buf: Uint8Array, offset: number, length: number): string {
  const slice = buf.subarray(offset, offset + length);
  const end = slice.indexOf(0);
  return decoder.decode(end < 0 ? slice : slice.subarray(0, end));
}

function readNumber(buf: Uint8Array, offset: number, length: number, what: string): number {
  const first = buf[offset] ?? 0;
  if (first & 0x80) {
    // GNU base-256 for large values.
    let value = 0;
    for (let i = 1; i < length; i++) value = value * 256 + (buf[offset + i] ?? 0);
    if (!Number.isSafeInteger(value)) throw new TarFormatError(`${what} is too large`);
    return value;
  }
  const text = readString(buf, offset, length).trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text))
    throw new TarFormatError(`${what} is not an octal number (${JSON.stringify(text)})`);
  return Number.parseInt(text, 8);
}

/** An archive that is not a well-formed tar. */
export class TarFormatError extends Error {
  constructor(message: string) {
    super(`not a valid tar archive: ${message}`);
    this.name = "TarFormatError";
  }
}

function parsePax(body: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    if (space < 0) break;
    const len = Number.parseInt(decoder.decode(body.subarray(at, space)), 10);
    if (!Number.isInteger(len) || len <= 0 || at + len > body.length)
      throw new TarFormatError("a pax record has a bad length");
    const record = decoder.decode(body.subarray(space + 1, at + len - 1));
    const eq = record.indexOf("=");
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    at += len;
  }
  return out;
}

/** Parses a whole tar archive. Throws `TarFormatError` on a malformed one. */
export function readTar(archive: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let at = 0;
  let pax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  while (at + BLOCK <= archive.length) {
    const h = archive.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) return entries;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
    const recorded = readNumber(h, 148, 8, "the header checksum");
    if (recorded !== sum) throw new TarFormatError(`the header at byte ${at} has a wrong checksum`);
    const size = readNumber(h, 124, 12, "an entry size");
    const dataStart = at + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > archive.length) throw new TarFormatError(`the entry at byte ${at} runs past the end`);
    const data = archive.subarray(dataStart, dataEnd);
    at = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    const flag = String.fromCharCode(h[156] ?? 0);
    if (flag === "x") {
      pax = { ...pax, ...parsePax(data) };
      continue;
    }
    if (flag === "g") {
      globalPax = { ...globalPax, ...parsePax(data) };
      continue;
    }
    if (flag === "L") {
      longName = readString(data, 0, data.length);
      continue;
    }
    if (flag === "K") {
      longLink = readString(data, 0, data.length);
      continue;
    }
    const magic = readString(h, 257, 6);
    const prefix = magic.startsWith("ustar") ? readString(h, 345, 155) : "";
    const baseName = readString(h, 0, 100);
    const fields = { ...globalPax, ...pax };
    const path = fields.path ?? longName ?? (prefix ? `${prefix}/${baseName}` : baseName);
    const type = TYPE_FLAG[flag] ?? TarEntryType.Other;
    const entry: TarEntry = {
      path,
      type,
      mode: readNumber(h, 100, 8, "a mode") & 0o7777,
      uid: readNumber(h, 108, 8, "a uid"),
      gid: readNumber(h, 116, 8, "a gid"),
      mtime: readNumber(h, 136, 12, "an mtime"),
    };
    if (type === TarEntryType.Symlink || type === TarEntryType.Hardlink)
      entry.linkTarget = fields.linkpath ?? longLink ?? readString(h, 157, 100);
    if (type === TarEntryType.File) entry.data = data.slice();
    entries.push(entry);
    pax = {};
    longName = undefined;
    longLink = undefined;
  }
  if (at === archive.length && entries.length > 0) return entries;
  throw new TarFormatError("the archive ends without its end-of-archive blocks");
}
