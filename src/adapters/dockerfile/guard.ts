import type { InputError } from "../../engine/finding";
import { checkText, MAX_FILE_BYTES } from "../yaml-source";

/**
 * Refuses text no Docker-side loader should parse: binary or over the size limit. Loaders are
 * also called with text that did not come through the file reader (tests, stdin), so they
 * check again; the error points at line 1, column 1.
 */
export function refuseText(file: string, text: string): InputError | undefined {
  const binary = checkText(file, Buffer.from(text.slice(0, 8192), "utf8"));
  if (binary) return { line: 1, column: 1, ...binary };
  const bytes = text.length > MAX_FILE_BYTES / 4 ? Buffer.byteLength(text, "utf8") : text.length;
  if (bytes > MAX_FILE_BYTES) {
    return {
      file,
      message: `file is ${(bytes / 1024 / 1024).toFixed(1)} MiB; shipshape reads files up to ${MAX_FILE_BYTES / 1024 / 1024} MiB — split it or pass a smaller file`,
      line: 1,
      column: 1,
    };
  }
  return undefined;
}
