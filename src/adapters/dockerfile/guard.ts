import type { InputError } from "../../engine/finding";
import { checkNoNul, MAX_FILE_BYTES } from "../yaml-source";

/**
 * Refuses text no Docker-side loader should parse: binary or over the size limit. Loaders are
 * also called with text that did not come through the file reader (tests, stdin), so they
 * check again; the error points at line 1, column 1 (or at the line of a NUL byte).
 */
export function refuseText(file: string, text: string): InputError | undefined {
  const binary = checkNoNul(file, text);
  if (binary) return binary;
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
