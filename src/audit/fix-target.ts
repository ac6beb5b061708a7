import { accessSync, constants, lstatSync, realpathSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { readTextFile, STDIN_NAME } from "../adapters/read-text";
import type { LoadedFile } from "../sources/load";

/**
 * Why `--fix` must not write `loaded`'s file now, or `undefined` when it may. A fix is written
 * only into the regular file that was read, as it was read, reached without symbolic links, and
 * only when the user could write it (read-only and immutable files are left alone).
 */
export function whyNotWritable(loaded: LoadedFile): string | undefined {
  const { file, identity } = loaded;
  if (!identity || file === STDIN_NAME) {
    return "not a regular file (a pipe, FIFO or standard input): there is nothing to write fixes back to";
  }
  try {
    if (lstatSync(file).isSymbolicLink()) {
      return `is a symbolic link to ${realpathSync(file)}; --fix never writes through links — fix the target itself if you mean to`;
    }
    const real = realpathSync(file);
    if (real !== resolve(file)) {
      return `is reached through a symbolic link (its real path is ${real}); --fix never writes through links — fix the real path itself if you mean to`;
    }
    const now = statSync(file);
    const reread = readTextFile(file);
    const sameFile = now.dev === identity.dev && now.ino === identity.ino;
    const sameContent =
      now.size === identity.size &&
      now.mtimeMs === identity.mtimeMs &&
      "text" in reread &&
      reread.text === loaded.text;
    if (!sameFile || !sameContent) {
      return "changed on disk since shipshape read it; run the audit again on the file as it is now";
    }
    if ((now.mode & 0o222) === 0) {
      return `is read-only (mode ${(now.mode & 0o777).toString(8).padStart(4, "0")}); make it writable (chmod u+w) to let --fix change it`;
    }
  } catch (e) {
    return `cannot be checked before writing: ${(e as Error).message}`;
  }
  try {
    accessSync(file, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EPERM") return "cannot be written (EPERM: it is immutable or append-only, see lsattr)";
    if (code === "EROFS") return "is on a read-only file system";
    return `cannot be written (${(e as Error).message})`;
  }
  try {
    accessSync(dirname(file), constants.W_OK);
  } catch {
    return `its directory ${dirname(file)} is not writable, and the file can only be replaced safely from there`;
  }
  return undefined;
}
