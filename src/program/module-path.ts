import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The absolute path of a module of this package, compiled (`.js`) or, in development, the
 * TypeScript source. Processes that load it by path (the CLI's engine worker, dynamic providers
 * after closure serialization) cannot use relative imports.
 */
export function packageModulePath(fromDir: string, relative: string): string {
  for (const ext of [".js", ".ts"]) {
    const candidate = join(fromDir, relative + ext);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    `cannot find module ${join(fromDir, relative)} (.js or .ts); build the package with npm run build`,
  );
}

/** Node arguments that let a process load `file`: a TypeScript loader for `.ts` sources (development only). */
export function nodeArgsFor(file: string): string[] {
  return file.endsWith(".ts") ? ["--require", require.resolve("tsx/cjs")] : [];
}
