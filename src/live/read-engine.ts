import { accessSync, constants } from "node:fs";
import type Dockerode from "dockerode";
import { readTextFile } from "../adapters/read-text";
import type { DaemonConfig, Resource, Workload } from "../model";
import { containerToWorkload, type EngineDefaults } from "./container-workload";
import {
  type DaemonSettingsSource,
  type EngineInfo,
  engineDaemonConfig,
  securityOptions,
} from "./daemon-model";
import { DEFAULT_DAEMON_JSON, dockerdFlagsToSettings, findLocalDockerd } from "./dockerd-process";
import { connectEngine, type EngineAddress, EngineUnreachableError, parseEngineAddress } from "./engine";

export interface ReadEngineOptions {
  /** Engine address (`unix:///…`, `tcp://…`). @default DOCKER_HOST, else the local socket */
  host?: string;
  /** Only these containers (names or ids). @default every container, running or not */
  containers?: readonly string[];
  /**
   * The daemon's `daemon.json`, for settings `info` does not show. @default the `--config-file` of
   * the local dockerd serving the socket, when there is one
   */
  daemonConfigFile?: string;
  /** Give up on an engine connection that has been idle this long. @default 10000 */
  timeoutMs?: number;
  /**
   * Give up when the whole read (every request, and a `daemonConfigFile` that is a pipe or FIFO)
   * has not finished after this long, however steadily the engine trickles bytes. @default 60000
   */
  deadlineMs?: number;
}

/** The default bound on a whole live read. */
export const DEFAULT_ENGINE_DEADLINE_MS = 60_000;

export interface EngineSnapshot {
  /** How findings name the engine: `docker://<engine>/…`. */
  engine: string;
  serverVersion?: string;
  daemon: DaemonConfig;
  workloads: Workload[];
  /** Things the user should know: settings that could not be read, containers not found. */
  notes: string[];
}

function engineLabel(address: EngineAddress, info: EngineInfo): string {
  if (address.socketPath !== undefined) return info.Name || "localhost";
  try {
    return new URL(address.raw).host;
  } catch {
    return address.raw;
  }
}

function readJsonFile(path: string, timeoutMs: number): { text: string; value: Record<string, unknown> } {
  // Missing and unreadable files keep their error codes (the caller tells them apart).
  accessSync(path, constants.R_OK);
  const read = readTextFile(path, { timeoutMs });
  if ("error" in read) throw new Error(`${path}: ${read.error.message}`);
  const { text } = read;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return { text, value: parsed as Record<string, unknown> };
    }
  } catch (error) {
    throw new Error(
      `${path}: not valid JSON (${(error as Error).message}); fix the file or pass --daemon-config`,
    );
  }
  throw new Error(`${path}: expected a JSON object at the top level`);
}

/** Finds the daemon's settings: an explicit file, or the local dockerd's flags and config file. */
function daemonSettings(
  address: EngineAddress,
  explicitFile: string | undefined,
  notes: string[],
  timeoutMs: number,
): DaemonSettingsSource | undefined {
  const local = address.socketPath !== undefined ? findLocalDockerd(address.socketPath) : undefined;
  const file = explicitFile ?? local?.configFile;
  let fromFile: Record<string, unknown> = {};
  let fileNote = "";
  let fileText: { file: string; text: string } | undefined;
  if (file !== undefined) {
    try {
      const read = readJsonFile(file, timeoutMs);
      fromFile = read.value;
      fileText = { file, text: read.text };
      fileNote = file;
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
      // dockerd runs fine without its default file: then every setting is the default.
      if (missing && local && file === DEFAULT_DAEMON_JSON && explicitFile === undefined) {
        fileNote = `defaults (${file} absent)`;
      } else if (missing || (error as NodeJS.ErrnoException).code === "EACCES") {
        notes.push(`cannot read ${file}: ${(error as Error).message}`);
        if (!local) return undefined;
      } else {
        throw error;
      }
    }
  }
  if (!local && file === undefined) return undefined;
  const flags = local ? dockerdFlagsToSettings(local.args) : {};
  const parts = [fileNote, local ? `the command line of dockerd (pid ${local.pid})` : ""].filter(Boolean);
  const source: DaemonSettingsSource = {
    settings: { ...fromFile, ...flags },
    description: parts.join(" and "),
  };
  if (fileText) source.file = fileText;
  return source;
}

/** The default bridge's icc option, when the default bridge exists. */
async function defaultBridgeIcc(client: Dockerode): Promise<boolean | undefined> {
  try {
    const bridge = (await client.getNetwork("bridge").inspect()) as { Options?: Record<string, string> };
    const icc = bridge.Options?.["com.docker.network.bridge.enable_icc"];
    return icc === undefined ? undefined : icc === "true";
  } catch {
    return undefined;
  }
}

/**
 * Reads a live engine into the model: its daemon configuration and every (or the named)
 * container's inspect data. Throws `EngineUnreachableError` when the engine does not answer.
 */
export async function readEngine(options: ReadEngineOptions = {}): Promise<EngineSnapshot> {
  const address = parseEngineAddress(options.host);
  const deadlineMs = options.deadlineMs ?? DEFAULT_ENGINE_DEADLINE_MS;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new EngineUnreachableError(
            address.raw,
            `no complete answer within ${deadlineMs / 1000} s (a stalled or very slow engine, or not an engine at all); check the address, or raise --timeout`,
          ),
        ),
      deadlineMs,
    );
    timer.unref();
  });
  try {
    return await Promise.race([readEngineUnbounded(address, options, deadlineMs), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function readEngineUnbounded(
  address: EngineAddress,
  options: ReadEngineOptions,
  deadlineMs: number,
): Promise<EngineSnapshot> {
  const client = await connectEngine(address, options.timeoutMs);
  const info = (await client.info()) as EngineInfo;
  const engine = engineLabel(address, info);
  const notes: string[] = [];
  const source = daemonSettings(address, options.daemonConfigFile, notes, deadlineMs);
  const daemon = engineDaemonConfig(engine, info, source, await defaultBridgeIcc(client));
  if (!source) {
    notes.push(
      "the daemon's configuration file could not be read: checks of icc, userland-proxy, no-new-privileges, default ulimits, log options and TLS were not run; pass --daemon-config FILE",
    );
  }
  const defaults: EngineDefaults = {
    seccomp: securityOptions(info).has("seccomp"),
    noNewPrivileges: daemon.noNewPrivileges === true,
    usernsRemap: daemon.usernsRemap !== undefined,
  };
  const listed = await client.listContainers({ all: true });
  const wanted =
    options.containers && options.containers.length > 0 ? new Set(options.containers) : undefined;
  const found = new Set<string>();
  const workloads: Workload[] = [];
  for (const summary of listed) {
    const names = (summary.Names ?? []).map((n) => n.replace(/^\//, ""));
    if (wanted) {
      const match = [...names, summary.Id, summary.Id.slice(0, 12)].find((n) => wanted.has(n));
      if (match === undefined) continue;
      found.add(match);
    }
    try {
      const inspect = await client.getContainer(summary.Id).inspect();
      workloads.push(containerToWorkload(inspect, engine, defaults));
    } catch (error) {
      // Removed between list and inspect: nothing left to audit.
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }
  if (wanted) {
    const missing = [...wanted].filter((n) => !found.has(n));
    if (missing.length > 0) {
      throw new Error(`no such container(s) on ${address.raw}: ${missing.join(", ")}; see \`docker ps -a\``);
    }
  }
  workloads.sort((a, b) => a.name.localeCompare(b.name));
  const snapshot: EngineSnapshot = { engine, daemon, workloads, notes };
  if (info.ServerVersion) snapshot.serverVersion = info.ServerVersion;
  return snapshot;
}

/** The snapshot as the list of model objects an audit takes. */
export function snapshotResources(snapshot: EngineSnapshot): Resource[] {
  return [snapshot.daemon, ...snapshot.workloads];
}
