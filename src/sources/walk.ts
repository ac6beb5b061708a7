import { type Dirent, readdirSync, readFileSync, realpathSync, type Stats, statSync } from "node:fs";
import { join, sep } from "node:path";
import { STDIN_NAME } from "../adapters/read-text";
import { yamlLibrary } from "../adapters/yaml-library";
import type { InputError } from "../engine/finding";

/** Directories never worth auditing: dependencies and version control. */
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git"]);

/** A file to audit, and whether the user named it (rather than it being found in a directory). */
export interface WalkedFile {
  /** The path as given on the command line, or joined onto the directory given there. */
  file: string;
  explicit: boolean;
}

export interface WalkResult {
  files: WalkedFile[];
  errors: InputError[];
  /** Symbolic links found in directories that lead outside every given path, not followed. */
  linksLeavingRoots: string[];
  /**
   * Directories found holding a Pulumi.yaml of runtime nodejs (with `programs`), in walk order:
   * Pulumi programs for `shipshape check` to run. Their own project files are not in `files`.
   */
  programs: string[];
}

export interface WalkOptions {
  /**
   * Follow symbolic links found in directories even when they lead outside the given paths
   * (a link in a repository to /etc/docker/daemon.json). @default false
   */
  followSymlinks?: boolean;
  /**
   * Recognise Pulumi programs in walked directories (a `Pulumi.yaml` of runtime nodejs): the
   * directory goes into `programs`, and its project files (`Pulumi.yaml`, `Pulumi.<stack>.yaml`,
   * `package.json`, `package-lock.json`, `tsconfig*.json`) are left to the program's check
   * instead of being read as manifests. Its other files and subdirectories (a Dockerfile,
   * `k8s/`) are walked as usual; `node_modules` never is. @default false
   */
  programs?: boolean;
}

/** The files of a Pulumi nodejs program that its check reads, not the audit. */
export function isProgramProjectFile(name: string): boolean {
  return (
    /^Pulumi(\.[^/]+)?\.ya?ml$/.test(name) ||
    name === "package.json" ||
    name === "package-lock.json" ||
    /^tsconfig.*\.json$/.test(name)
  );
}

/** True when `dir/Pulumi.yaml` declares the nodejs runtime (the programs `check` runs). */
export function isNodejsProgram(dir: string): boolean {
  try {
    const file = join(dir, "Pulumi.yaml");
    if (!statSync(file).isFile()) return false;
    const doc = yamlLibrary().parse(readFileSync(file, "utf8")) as { runtime?: unknown } | null;
    const runtime =
      typeof doc?.runtime === "string" ? doc.runtime : (doc?.runtime as { name?: unknown } | undefined)?.name;
    return runtime === "nodejs";
  } catch {
    return false;
  }
}

/** True for names shipshape may be able to read: YAML, JSON, Dockerfiles. */
export function isCandidateName(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower.endsWith(".yaml") ||
    lower.endsWith(".yml") ||
    lower.endsWith(".json") ||
    lower.startsWith("dockerfile") ||
    lower.endsWith(".dockerfile") ||
    lower.startsWith("containerfile")
  );
}

/**
 * Expands the paths of the command line into files: a file is taken whatever its name, a
 * directory is walked recursively (in name order, so output is stable) for candidate names.
 * Symbolic links to directories are not followed, so a link loop cannot trap the walk; links
 * to files are followed only while they stay inside the given paths (unless
 * `followSymlinks`), so a link cannot bring a file from elsewhere on the machine into the report.
 */
export function walkPaths(paths: readonly string[], options: WalkOptions = {}): WalkResult {
  const files: WalkedFile[] = [];
  const errors: InputError[] = [];
  const linksLeavingRoots: string[] = [];
  const programs: string[] = [];
  const roots = paths.flatMap((p) => {
    try {
      return [realpathSync(p)];
    } catch {
      return [];
    }
  });
  const insideRoots = (real: string) =>
    roots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep));
  const seen = new Set<string>();
  const add = (file: string, explicit: boolean) => {
    if (seen.has(file)) return;
    seen.add(file);
    files.push({ file, explicit });
  };

  const walkDirectory = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push({
        file: dir,
        message: `cannot read directory: ${(e as Error).message}`,
        line: 1,
        column: 1,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const program =
      options.programs === true && entries.some((e) => e.name === "Pulumi.yaml") && isNodejsProgram(dir);
    if (program) programs.push(dir);
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (program && !entry.isDirectory() && isProgramProjectFile(entry.name)) continue;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walkDirectory(path);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && isCandidateName(entry.name)) {
        if (entry.isSymbolicLink()) {
          if (!isFile(path)) continue;
          if (!options.followSymlinks && !insideRoots(realpathSync(path))) {
            linksLeavingRoots.push(path);
            continue;
          }
        }
        add(path, false);
      }
    }
  };

  for (const path of paths) {
    if (path === STDIN_NAME) {
      add(path, true);
      continue;
    }
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const message =
        code === "ENOENT" ? "no such file or directory" : `cannot read: ${(e as Error).message}`;
      errors.push({ file: path, message, line: 1, column: 1 });
      continue;
    }
    if (stats.isDirectory()) {
      // A directory the user names is walked even if it is called node_modules.
      walkDirectory(path);
    } else {
      add(path, true);
    }
  }
  return { files, errors, linksLeavingRoots, programs };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
