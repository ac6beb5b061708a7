/**
 * What the engine remembers of a container's life: its events since a point in time (`GET
 * /events` with `since` and `until`, a stream that ends at `until`), counted by kind. The engine
 * keeps only its most recent events in memory (Docker: the last 256), so older ones may be gone.
 */
import type Dockerode from "dockerode";
import { jsonLines } from "../watch/stats";

export interface LifeEvent {
  /** ISO 8601. */
  time: string;
  /** `start`, `die`, `restart`, `oom`, `kill`, `exec`, `health_status` … */
  action: string;
  /** The facts of the event people need: an exit code, a signal, a health status, the program an exec ran. */
  detail?: string;
}

export interface LifeHistory {
  /** ISO 8601: the start of the look-back. */
  since: string;
  starts: number;
  restarts: number;
  /** Exits (`die`), with the exit codes seen. */
  exits: number;
  exitCodes: number[];
  oomKills: number;
  kills: number;
  /** Processes started with `docker exec`. */
  execs: number;
  /** Health checks that turned unhealthy. */
  unhealthy: number;
  /** Every event, oldest first (at most `MAX_EVENTS`). */
  events: LifeEvent[];
}

export const MAX_EVENTS = 1000;

interface RawEvent {
  Action?: string;
  Actor?: { Attributes?: Record<string, string> };
  time?: number;
  timeNano?: number;
}

function eventTime(e: RawEvent): string {
  const ms = e.timeNano ? e.timeNano / 1e6 : (e.time ?? 0) * 1000;
  return new Date(ms).toISOString();
}

/** Counts a list of raw events (in order) into a history. Exported for tests on recorded events. */
export function historyOf(raw: readonly RawEvent[], since: Date): LifeHistory {
  const h: LifeHistory = {
    since: since.toISOString(),
    starts: 0,
    restarts: 0,
    exits: 0,
    exitCodes: [],
    oomKills: 0,
    kills: 0,
    execs: 0,
    unhealthy: 0,
    events: [],
  };
  for (const e of raw) {
    const full = e.Action ?? "";
    // `exec_start: sh -c …` and `health_status: unhealthy` carry their subject after the colon.
    const colon = full.indexOf(":");
    const action = colon >= 0 ? full.slice(0, colon) : full;
    const rest = colon >= 0 ? full.slice(colon + 1).trim() : "";
    const attrs = e.Actor?.Attributes ?? {};
    let detail: string | undefined;
    switch (action) {
      case "start":
        h.starts++;
        break;
      case "restart":
        h.restarts++;
        break;
      case "die": {
        h.exits++;
        const code = Number(attrs.exitCode);
        if (Number.isInteger(code)) {
          h.exitCodes.push(code);
          detail = `exit code ${code}`;
        }
        break;
      }
      case "oom":
        h.oomKills++;
        break;
      case "kill":
        h.kills++;
        if (attrs.signal) detail = `signal ${attrs.signal}`;
        break;
      case "exec_start":
        h.execs++;
        // Only the program: the rest of an exec's command line may hold a secret.
        detail = rest.split(/\s+/)[0] || undefined;
        break;
      case "health_status":
        if (rest === "unhealthy") h.unhealthy++;
        detail = rest || undefined;
        break;
      default:
        break;
    }
    // exec_create and exec_die repeat exec_start; the rest of the noise (attach, resize…) is dropped.
    if (
      ![
        "start",
        "restart",
        "die",
        "oom",
        "kill",
        "exec_start",
        "health_status",
        "stop",
        "pause",
        "unpause",
      ].includes(action)
    )
      continue;
    if (h.events.length < MAX_EVENTS)
      h.events.push({
        time: eventTime(e),
        action: action === "exec_start" ? "exec" : action,
        ...(detail ? { detail } : {}),
      });
  }
  return h;
}

/** Reads the engine's events of container `id` from `since` until now. */
export async function readHistory(client: Dockerode, id: string, since: Date): Promise<LifeHistory> {
  const until = new Date();
  const stream = (await client.getEvents({
    since: Math.floor(since.getTime() / 1000),
    until: Math.ceil(until.getTime() / 1000),
    filters: { type: ["container"], container: [id] },
  })) as NodeJS.ReadableStream & { destroy?: () => void };
  const raw: RawEvent[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy?.();
      reject(new Error("the engine's event history did not end within 30 s"));
    }, 30_000);
    stream.on(
      "data",
      jsonLines((v) => raw.push(v as RawEvent)),
    );
    stream.on("end", () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on("error", (e: Error) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  return historyOf(raw, since);
}
