import { closeSync, existsSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { RenderTarget, renderServices } from "../render/render";
import {
  DOCKERIGNORE,
  dockerfile,
  InitPlatform,
  InitType,
  packageJson,
  pulumiProgram,
  pulumiProject,
  SERVICE_NAME,
  serviceArgs,
  TSCONFIG,
} from "./templates";

export interface InitOptions {
  type: InitType;
  platform: InitPlatform;
}

/** A file init would write already exists: nothing was written. */
export class InitConflictError extends Error {}

/** The files of a new project, relative to its directory. */
export function initFiles(options: InitOptions): { path: string; content: string }[] {
  const compose = renderServices(
    [{ name: SERVICE_NAME, args: serviceArgs(options.type, InitPlatform.Docker) }],
    RenderTarget.Compose,
  ).files.map((f) =>
    f.path === "compose.yaml"
      ? {
          ...f,
          content: f.content.replace(
            /^# Rendered by .*\n/,
            `# Written by \`shipshape init --type ${options.type}\`; build and run with \`docker compose up --build\`.\n`,
          ),
        }
      : f,
  );
  return [
    { path: "Dockerfile", content: dockerfile(options.type) },
    { path: ".dockerignore", content: DOCKERIGNORE },
    ...compose,
    { path: "Pulumi.yaml", content: pulumiProject(options.type) },
    { path: "index.ts", content: pulumiProgram(options.type, options.platform) },
    { path: "package.json", content: packageJson(options.platform) },
    { path: "tsconfig.json", content: TSCONFIG },
  ];
}

/**
 * Writes the project into `dir` (created when missing). Refuses, writing nothing, when any of
 * its files exists: a starting point never overwrites a user's work.
 */
export function initProject(dir: string, options: InitOptions): string[] {
  const files = initFiles(options);
  const existing = files.map((f) => join(dir, f.path)).filter((p) => existsSync(p));
  if (existing.length > 0)
    throw new InitConflictError(
      `${existing.join(", ")} already exist${existing.length === 1 ? "s" : ""}; init writes only into a directory without these files (nothing was written)`,
    );
  const written: string[] = [];
  for (const f of files) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    // "wx": created here or not at all, even if another process made the file since the check.
    const fd = openSync(path, "wx", 0o644);
    try {
      writeSync(fd, f.content);
    } finally {
      closeSync(fd);
    }
    written.push(path);
  }
  return written;
}

export { InitPlatform, InitType };
