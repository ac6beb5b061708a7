/**
 * Where a Pulumi program starts: its entry module, found without loading the Pulumi SDK (the
 * audit asks it of every program directory it walks into).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { yamlLibrary } from "../adapters/yaml-library";

/** A program that cannot be run as asked (no Pulumi.yaml, another runtime, no entry module). */
export class ProgramError extends Error {}

/** The entry module of a Pulumi program directory (Pulumi.yaml `main`, else the directory's index). */
export function programEntry(programDir: string): string {
  const dir = resolve(programDir);
  const project = join(dir, "Pulumi.yaml");
  if (!existsSync(project))
    throw new ProgramError(`${programDir}: no Pulumi.yaml; point render at a Pulumi program directory`);
  const doc = yamlLibrary().parse(readFileSync(project, "utf8")) as {
    runtime?: unknown;
    main?: unknown;
  } | null;
  const runtime =
    typeof doc?.runtime === "string" ? doc.runtime : (doc?.runtime as { name?: string } | undefined)?.name;
  if (runtime !== "nodejs")
    throw new ProgramError(`${project}: runtime is ${JSON.stringify(runtime)}; render runs nodejs programs`);
  const main = typeof doc?.main === "string" ? join(dir, doc.main) : dir;
  for (const candidate of [
    main,
    `${main}.ts`,
    `${main}.js`,
    join(main, "index.ts"),
    join(main, "index.js"),
  ]) {
    if (existsSync(candidate) && !candidate.endsWith(dir) && /\.(ts|js|cjs|mjs)$/.test(candidate))
      return candidate;
  }
  throw new ProgramError(`${programDir}: no index.ts or index.js (nor Pulumi.yaml main) to run`);
}
