import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { basename } from "node:path";
import { isComposeFileName } from "../adapters/compose/detect";
import { checkText, MAX_FILE_BYTES, parseYamlFile, SourceError } from "../adapters/yaml-source";
import type { InputError } from "../engine/finding";
import { loadComposeFile } from "./compose-file";
import { loadDaemonJson } from "./daemon-json-file";
import { loadDockerfile } from "./dockerfile-file";
import { loadKubernetesFile } from "./kubernetes-file";
import type { LoadOptions, SourceFile } from "./source-file";
import type { WalkedFile } from "./walk";

export type FileFormat = SourceFile["format"];

/** Reads one file's text into model objects. */
export type Loader = (file: string, text: string, options: LoadOptions) => SourceFile;

/**
 * The one place that says which loader reads which format. A format without a loader yet is
 * reported as an error for the files detected as that format.
 */
export const LOADERS: Record<FileFormat, Loader | undefined> = {
  kubernetes: loadKubernetesFile,
  compose: loadComposeFile,
  dockerfile: loadDockerfile,
  "daemon-json": loadDaemonJson,
};

const FORMAT_NAMES: Record<FileFormat, string> = {
  kubernetes: "Kubernetes manifests",
  compose: "Compose files",
  dockerfile: "Dockerfiles",
  "daemon-json": "Docker daemon.json files",
};

/** What became of one file. */
export interface LoadedFile {
  file: string;
  /** The model objects, when the file was read (it may still carry per-document errors). */
  source?: SourceFile;
  /** The file's text as read, for fixes. */
  text?: string;
  /** File-level errors: unreadable, too large, binary, no loader. */
  errors: InputError[];
  /** True when a file found in a directory turned out not to be something shipshape reads. */
  skipped: boolean;
}

const DOCKERFILE_NAME = /^(dockerfile|containerfile)([.-].*)?$|\.(dockerfile|containerfile)$/i;
const YAML_NAME = /\.ya?ml$/i;
const JSON_NAME = /\.json$/i;
/** A top-level `apiVersion:` key (block YAML) or an `"apiVersion":` member anywhere (JSON). */
const KUBERNETES_MARKER = /^["']?apiVersion["']?\s*:|"apiVersion"\s*:/m;
/** A top-level `services:` key. */
const COMPOSE_MARKER = /^["']?services["']?\s*:/m;
/** The first instruction of a Dockerfile, after comments and parser directives. */
const DOCKERFILE_MARKER = /^\s*(FROM|ARG)\s+\S/i;

/**
 * The format of a file, by its name and its content; `undefined` when it is none that
 * shipshape reads. Content decides between Kubernetes and Compose for YAML and JSON.
 */
export function detectFormat(file: string, text: string): FileFormat | undefined {
  const name = basename(file);
  if (DOCKERFILE_NAME.test(name)) return "dockerfile";
  if (name.toLowerCase() === "daemon.json") return "daemon-json";
  if (isComposeFileName(name)) return "compose";
  if (KUBERNETES_MARKER.test(text)) return "kubernetes";
  if (COMPOSE_MARKER.test(text)) return "compose";
  if (!YAML_NAME.test(name) && !JSON_NAME.test(name)) {
    const firstInstruction = text.split("\n").find((l) => l.trim() !== "" && !l.trim().startsWith("#"));
    if (firstInstruction !== undefined && DOCKERFILE_MARKER.test(firstInstruction)) return "dockerfile";
  }
  return undefined;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a file's text, refusing files over the size limit by their `stat` size before any
 * byte is read, binary files and invalid UTF-8. Errors point at line 1, column 1.
 */
export function readSourceText(file: string): { text: string } | { error: InputError } {
  const fail = (message: string) => ({ error: { file, message, line: 1, column: 1 } });
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (e) {
    return fail(`cannot open file: ${(e as Error).message}`);
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) {
      return fail(
        `file is ${(size / 1024 / 1024).toFixed(1)} MiB; shipshape reads files up to ${MAX_FILE_BYTES / 1024 / 1024} MiB — split it or pass a smaller file`,
      );
    }
    const bytes = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, bytes, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    const content = bytes.subarray(0, read);
    const problem = checkText(file, content);
    if (problem) return { error: { line: 1, column: 1, ...problem } };
    let text: string;
    try {
      text = utf8.decode(content);
    } catch {
      return fail("not UTF-8 text; shipshape reads UTF-8 YAML, JSON and Dockerfiles");
    }
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch (e) {
    return fail(`cannot read file: ${(e as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads, detects and loads one file. Files found in a directory that are not a format
 * shipshape reads are skipped, unless they are YAML that does not even parse; files the user
 * named are always read or reported.
 */
export function loadFile(walked: WalkedFile, options: LoadOptions = {}): LoadedFile {
  const { file, explicit } = walked;
  const read = readSourceText(file);
  if ("error" in read) return { file, errors: [read.error], skipped: false };
  const { text } = read;
  let format = detectFormat(file, text);
  if (!format) {
    if (!explicit) {
      if (!YAML_NAME.test(file)) return { file, errors: [], skipped: true };
      const parseError = yamlParseError(file, text);
      return parseError
        ? { file, errors: [parseError], skipped: false }
        : { file, errors: [], skipped: true };
    }
    // A file the user named is read as Kubernetes, whose loader says what is wrong with it.
    format = "kubernetes";
  }
  const loader = LOADERS[format];
  if (!loader) {
    return {
      file,
      errors: [
        {
          file,
          message: `looks like one of the ${FORMAT_NAMES[format]}, which this build of shipshape cannot read yet`,
          line: 1,
          column: 1,
        },
      ],
      skipped: false,
    };
  }
  const source = loader(file, text, options);
  if (options.forFixing === false) {
    source.applyFixes = undefined;
    return { file, source, errors: [], skipped: false };
  }
  return { file, source, text, errors: [], skipped: false };
}

function yamlParseError(file: string, text: string): InputError | undefined {
  try {
    parseYamlFile(file, text);
    return undefined;
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    return { file, message: e.message, line: e.line ?? 1, column: e.column ?? 1 };
  }
}
