/**
 * `shipshape analyze`'s report on one container: its state, its resource profile over a window
 * of its stats stream, its life as the engine's events tell it (restarts, exits, OOM kills, exec
 * sessions, health), and the live audit's findings on it.
 */
import type Dockerode from "dockerode";
import { auditInspectedContainer, engineDefaultsFromInfo } from "../live/audit-container";
import type { EngineInfo } from "../live/daemon-model";
import { connectEngine, parseEngineAddress } from "../live/engine";
import type { Severity } from "../rules/rule";
import { cpuLimitOf, jsonLines, type StatsSample } from "../watch/stats";
import { type LifeHistory, readHistory } from "./history";
import { type ResourceProfile, resourceProfile } from "./resource-profile";

export interface AnalyzeOptions {
  /** Engine address. @default DOCKER_HOST, else the local socket */
  host?: string;
  /** A container's name or id. */
  container: string;
  /** Seconds of the stats stream to profile. */
  windowSeconds: number;
  /** Seconds of the engine's event history to look back over. */
  sinceSeconds: number;
}

export interface AnalysisFinding {
  rule: string;
  severity: Severity;
  message: string;
}

export interface ContainerAnalysis {
  /** The format's version. */
  version: 1;
  /** The engine address analysed. */
  engine: string;
  /** When the report was made (ISO 8601). */
  time: string;
  container: ContainerState & {
    finishedAt?: string;
    exitCode?: number;
    oomKilled: boolean;
    /** The engine's count of restarts by the restart policy. */
    restartCount: number;
    restartPolicy: string;
    health?: { status: string; failingStreak: number };
  };
  /** Undefined when the container is not running (its `resourcesNote` says so). */
  resources?: ResourceProfile;
  resourcesNote?: string;
  history: LifeHistory;
  /** The live audit's findings, worst first. */
  findings: AnalysisFinding[];
}

/** Who a container is and whether it runs: what every report on one starts with. */
export interface ContainerState {
  id: string;
  name: string;
  image: string;
  status: string;
  running: boolean;
  startedAt?: string;
}

export class ContainerNotFoundError extends Error {}

const SEVERITY_ORDER: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** Reads the stats stream for `seconds` (plus the first sample, which has no previous one). */
export async function collectStats(client: Dockerode, id: string, seconds: number): Promise<StatsSample[]> {
  const stream = (await client
    .getContainer(id)
    .stats({ stream: true })) as unknown as NodeJS.ReadableStream & {
    destroy?: () => void;
  };
  const samples: StatsSample[] = [];
  await new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.destroy?.();
      resolve();
    };
    // The engine sends one sample a second; a stream that stalls still ends the window.
    const timer = setTimeout(finish, (seconds + 3) * 1000);
    stream.on(
      "data",
      jsonLines((v) => {
        const s = v as StatsSample;
        samples.push(s);
        const first = samples[0]?.read;
        if (first && s.read && (Date.parse(s.read) - Date.parse(first)) / 1000 >= seconds) finish();
      }),
    );
    stream.on("end", finish);
    stream.on("error", finish);
  });
  return samples;
}

async function inspectNamed(client: Dockerode, container: string, engine: string) {
  try {
    return await client.getContainer(container).inspect();
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404)
      throw new ContainerNotFoundError(
        `no container named ${JSON.stringify(container)} on ${engine}; \`docker ps -a\` lists the names and ids`,
      );
    throw e;
  }
}

/** Analyses one container; throws `ContainerNotFoundError` or `EngineUnreachableError`. */
export async function analyzeContainer(options: AnalyzeOptions): Promise<ContainerAnalysis> {
  const address = parseEngineAddress(options.host);
  const pinged = await connectEngine(address);
  const Docker = require("dockerode") as typeof Dockerode;
  // The stats stream and the event history are long reads: a client without a socket timeout.
  const client = new Docker(address.options);
  const info = (await pinged.info()) as EngineInfo;
  const inspected = await inspectNamed(client, options.container, address.raw);
  const since = new Date(Date.now() - options.sinceSeconds * 1000);
  const running = inspected.State.Running === true;
  const [samples, history] = await Promise.all([
    running ? collectStats(client, inspected.Id, options.windowSeconds) : Promise.resolve([]),
    readHistory(client, inspected.Id, since),
  ]);
  // Inspected again: the window may have seen a restart.
  const now = await inspectNamed(client, inspected.Id, address.raw);
  const findings = auditInspectedContainer(now, info.Name || "localhost", engineDefaultsFromInfo(info))
    .map((f) => ({ rule: f.ruleId, severity: f.severity, message: f.message }))
    .sort(
      (a, b) =>
        (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) || a.rule.localeCompare(b.rule),
    );
  const state = now.State;
  const health = (state as { Health?: { Status?: string; FailingStreak?: number } }).Health;
  const analysis: ContainerAnalysis = {
    version: 1,
    engine: address.raw,
    time: new Date().toISOString(),
    container: {
      id: now.Id,
      name: now.Name.replace(/^\//, ""),
      image: now.Config.Image,
      status: state.Status,
      running: state.Running === true,
      oomKilled: state.OOMKilled === true,
      restartCount: now.RestartCount ?? 0,
      restartPolicy: now.HostConfig.RestartPolicy?.Name || "no",
    },
    history,
    findings,
  };
  const c = analysis.container;
  if (state.StartedAt && !state.StartedAt.startsWith("0001")) c.startedAt = state.StartedAt;
  if (!running && state.FinishedAt && !state.FinishedAt.startsWith("0001")) {
    c.finishedAt = state.FinishedAt;
    c.exitCode = state.ExitCode;
  }
  if (health?.Status) c.health = { status: health.Status, failingStreak: health.FailingStreak ?? 0 };
  const profile = running ? resourceProfile(samples, cpuLimitOf(now)) : undefined;
  if (profile) analysis.resources = profile;
  else
    analysis.resourcesNote = running
      ? `the stats stream gave no measure in ${options.windowSeconds} s`
      : `the container is not running (${state.Status}): no resource profile`;
  return analysis;
}
