import { chmodSync, closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** The env-file name of a secret: upper case, '_' for anything else. */
export function envName(secretName: string): string {
  return secretName.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
}

/**
 * Writes `NAME=value` lines, mode 0600 from the first byte (a temporary file in the same
 * directory, renamed over the target). A value with a newline cannot be an env-file line: the
 * message names the secret, never the value.
 */
export function writeEnvFile(path: string, values: Record<string, string>): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (/[\r\n\0]/.test(value))
      throw new Error(
        `SecretStore env file: the secret "${name}" holds a line break or NUL, which an env file cannot carry; mount it as a file instead`,
      );
    lines.push(`${envName(name)}=${value}`);
  }
  const target = resolve(path);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  const fd = openSync(temp, "wx", 0o600);
  try {
    writeSync(fd, `${lines.join("\n")}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temp, 0o600);
  renameSync(temp, target);
  return target;
}
