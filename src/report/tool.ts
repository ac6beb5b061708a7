import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const TOOL_NAME = "shipshape";

let cachedVersion: string | undefined;

/** shipshape's version, from the package.json above this file (in src/ or in dist/src/). */
export function toolVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string };
      if (pkg.name === TOOL_NAME && pkg.version) {
        cachedVersion = pkg.version;
        return cachedVersion;
      }
    }
    dir = dirname(dir);
  }
  cachedVersion = "0.0.0";
  return cachedVersion;
}
