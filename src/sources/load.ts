import { basename } from "node:path";
import { isComposeFileName } from "../adapters/compose/detect";
import {
  type FileIdentity,
  type ReadTextOptions,
  type ReadTextResult,
  readTextFile,
} from "../adapters/read-text";
import { parseYamlFile, SourceError } from "../adapters/yaml-source";
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
  /** For a regular file read for fixing: what it was when read, so a fix can tell it changed. */
  identity?: FileIdentity;
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

/**
 * Reads a file's text through the guards of `readTextFile` (size limit, devices, pipes and
 * FIFOs read to their end within a timeout, NUL bytes, UTF-8). Errors name the file.
 */
export function readSourceText(file: string, options: ReadTextOptions = {}): ReadTextResult {
  return readTextFile(file, options);
}

/**
 * Reads, detects and loads one file. Files found in a directory that are not a format
 * shipshape reads are skipped, unless they are YAML that does not even parse; files the user
 * named are always read or reported.
 */
export function loadFile(
  walked: WalkedFile,
  options: LoadOptions = {},
  read: ReadTextResult = readSourceText(walked.file, readTextOptions(options)),
): LoadedFile {
  const { file, explicit } = walked;
  if ("error" in read) return { file, errors: [read.error], skipped: false };
  const { text, identity } = read;
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
    return options.keepText
      ? { file, source, text, errors: [], skipped: false }
      : { file, source, errors: [], skipped: false };
  }
  return identity
    ? { file, source, text, identity, errors: [], skipped: false }
    : { file, source, text, errors: [], skipped: false };
}

/** The read options among the load options. */
export function readTextOptions(options: LoadOptions): ReadTextOptions {
  return options.readTimeoutMs === undefined ? {} : { timeoutMs: options.readTimeoutMs };
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
