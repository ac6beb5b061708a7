/**
 * The options of `shipshape watch`, the runtime monitor: which checks run, their thresholds, and
 * where alerts go. Plain data, checked once by `parseWatchOptions` before anything connects.
 */

/** The checks `shipshape watch` runs; each has a `--no-<check>` flag that silences it. */
export enum WatchCheck {
  /** CPU or memory of a container over `--resource-threshold` percent, averaged over `--interval`. */
  Resources = "resources",
  /** A container running longer than `--runtime-limit`. */
  Runtime = "runtime",
  /** A new container the live audit finds a violation in (privileged, host namespaces, socket mount…). */
  Audit = "audit",
  /** A process started in a running container with `docker exec`. */
  Exec = "exec",
  /** The kernel's OOM killer struck in a container. */
  Oom = "oom",
  /** A container restarted (its restart policy, or `docker restart`). */
  Restart = "restart",
}

export const ALL_WATCH_CHECKS: readonly WatchCheck[] = Object.values(WatchCheck);

export interface WatchOptions {
  /** Engine address, as for `shipshape audit --docker`. @default DOCKER_HOST, else the local socket */
  host?: string;
  /** Seconds over which resource usage is averaged before it is compared with the threshold. */
  intervalSeconds: number;
  /** Percent of a container's CPU limit (one CPU without a limit) or memory limit (host memory without one). */
  resourceThreshold: number;
  /** Seconds a container may run before the runtime check alerts. */
  runtimeLimitSeconds: number;
  /** The alert command and its arguments (an argument array: no shell ever sees it). */
  alertCommand?: readonly string[];
  /** Only these containers (names or ids); every container when empty. */
  containers: readonly string[];
  /** A directory for JSON-lines logs: `alerts.jsonl` and `events.jsonl`. */
  logDir?: string;
  /** The checks that run. */
  checks: ReadonlySet<WatchCheck>;
  /** The least severe audit finding that makes the audit check alert. */
  auditMinSeverity: "low" | "medium" | "high" | "critical";
  /** Print every engine event the watcher sees. */
  verbose: boolean;
}

export const DEFAULT_INTERVAL_SECONDS = 10;
export const DEFAULT_RESOURCE_THRESHOLD = 80;
export const DEFAULT_RUNTIME_LIMIT_SECONDS = 24 * 3600;

const UNITS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * A duration: a positive number of seconds, or with a unit `s`, `m`, `h` or `d` (`90`, `30s`,
 * `15m`, `2h`, `1d`). Throws an error naming `what`, the value and the fix.
 */
export function parseDuration(value: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$/.exec(value);
  const seconds = m ? Number(m[1]) * (UNITS[m[2] ?? ""] ?? 1) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(
      `${what} ${JSON.stringify(value)} is not a duration; give a positive number of seconds, or one with a unit: 30s, 15m, 2h, 1d`,
    );
  }
  return seconds;
}

/** A percentage above 0 (CPU may go past 100 on a container without a CPU limit). */
export function parsePercent(value: string, what: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  const n = m ? Number(m[1]) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0) {
    throw new Error(
      `${what} ${JSON.stringify(value)} is not a percentage; give a positive number such as 80`,
    );
  }
  return n;
}
