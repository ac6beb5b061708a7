import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { inflateSync } from "node:zlib";
import { describe } from "vitest";

const run = promisify(execFile);

/** Browser tests are skipped only when this is set; CI never sets it. */
export const SKIP_CHROMIUM = process.env.SHIPSHAPE_SKIP_CHROMIUM === "1";

/** `describe` for tests that need Debian's chromium. */
export const describeChromium: typeof describe = (
  SKIP_CHROMIUM ? describe.skip : describe
) as typeof describe;

const CHROMIUM = process.env.SHIPSHAPE_CHROMIUM ?? "chromium";

/** Fails loudly, with the way to fix it, when chromium is not installed. */
export async function requireChromium(): Promise<string> {
  try {
    const { stdout } = await run(CHROMIUM, ["--version"]);
    return stdout.trim();
  } catch (error) {
    throw new Error(
      `chromium is not runnable (${(error as Error).message.split("\n")[0]}): run scripts/setup.sh (it installs Debian's chromium), or set SHIPSHAPE_SKIP_CHROMIUM=1 to skip browser tests`,
    );
  }
}

/** Headless, offline, with a fresh profile that is removed afterwards. */
async function headless(args: string[]): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), "shipshape-chromium-"));
  try {
    const { stdout } = await run(
      CHROMIUM,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
    );
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The DOM chromium built from the page, serialized (`--dump-dom`). */
export function dumpDom(url: string): Promise<string> {
  return headless(["--dump-dom", url]);
}

/**
 * The DOM after the page's scripts ran for `budgetMs` of virtual time (its fetches and timers
 * included): for pages that build themselves from an API.
 */
export function dumpDomAfterScripts(url: string, budgetMs: number): Promise<string> {
  return headless([`--virtual-time-budget=${budgetMs}`, "--dump-dom", url]);
}

/** A screenshot of the page at 1200×900, as the PNG's bytes. */
export async function screenshot(url: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-shot-"));
  try {
    const file = join(dir, "page.png");
    await headless([`--screenshot=${file}`, "--window-size=1200,900", url]);
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row by row. */
  rgba: Uint8Array;
}

/** A dependency-free PNG reader for what chromium writes: 8-bit RGB or RGBA, not interlaced. */
export function decodePng(png: Buffer): DecodedPng {
  const SIGNATURE = "89504e470d0a1a0a";
  if (png.subarray(0, 8).toString("hex") !== SIGNATURE) throw new Error("not a PNG");
  let offset = 8;
  let width = 0;
  let height = 0;
  let colourType = -1;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString("latin1");
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      colourType = data[9] ?? -1;
      if (depth !== 8 || (colourType !== 2 && colourType !== 6) || data[12] !== 0)
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colourType}, interlace ${data[12]}`);
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    offset += 12 + length;
  }
  const channels = colourType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? (cur[i - channels] as number) : 0;
      const b = prev[i] as number;
      const c = i >= channels ? (prev[i - channels] as number) : 0;
      const x = line[i] as number;
      let v: number;
      switch (filter) {
        case 0:
          v = x;
          break;
        case 1:
          v = x + a;
          break;
        case 2:
          v = x + b;
          break;
        case 3:
          v = x + ((a + b) >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new Error(`bad PNG filter ${filter} on row ${y}`);
      }
      cur[i] = v & 0xff;
    }
    for (let px = 0; px < width; px++) {
      const o = (y * width + px) * 4;
      out[o] = cur[px * channels] as number;
      out[o + 1] = cur[px * channels + 1] as number;
      out[o + 2] = cur[px * channels + 2] as number;
      out[o + 3] = channels === 4 ? (cur[px * channels + 3] as number) : 255;
    }
    prev = cur;
  }
  return { width, height, rgba: out };
}

/** How many pixels have each `#rrggbb` colour. */
export function colourCounts(png: DecodedPng): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < png.rgba.length; i += 4) {
    const key = `#${[png.rgba[i], png.rgba[i + 1], png.rgba[i + 2]]
      .map((v) => (v as number).toString(16).padStart(2, "0"))
      .join("")}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
