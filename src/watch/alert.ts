import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { WatchCheck } from "./options";

/** The container an alert is about. */
export interface AlertContainer {
  id: string;
  name: string;
  image: string;
}

/** One alert, as the alert command reads it on standard input and `alerts.jsonl` records it. */
export interface WatchAlert {
  /** The format's version. */
  version: 1;
  check: WatchCheck;
  severity: "low" | "medium" | "high" | "critical";
  /** When the watcher raised it (ISO 8601, UTC). */
  time: string;
  /** The engine address watched. */
  engine: string;
  container: AlertContainer;
  /** One line for people. */
  message: string;
  /** The measured facts behind it (the check's own fields). */
  details: Record<string, string | number | boolean | readonly Record<string, string>[]>;
}

/** How long an alert command may run before it is killed. */
export const ALERT_COMMAND_TIMEOUT_MS = 30_000;

/**
 * Runs the alert command once per alert: `spawn` with the argument array (never a shell), the
 * alert as one JSON document on standard input. Resolves to a message when the command failed.
 */
export function runAlertCommand(command: readonly string[], alert: WatchAlert): Promise<string | undefined> {
  return runCommandWithJson(command, alert);
}

/** Runs `command` (an argument array, never a shell) with `document` as one JSON line on standard input. */
export function runCommandWithJson(
  command: readonly string[],
  document: object,
): Promise<string | undefined> {
  const [file, ...args] = command;
  if (file === undefined) return Promise.resolve("no alert command");
  return new Promise((resolve) => {
    let stderr = "";
    const child = spawn(file, args, { shell: false, stdio: ["pipe", "ignore", "pipe"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), ALERT_COMMAND_TIMEOUT_MS);
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve(`alert command ${JSON.stringify(file)} could not start: ${e.message}`);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(undefined);
      else
        resolve(
          `alert command ${JSON.stringify(file)} ${signal ? `was killed by ${signal}` : `exited ${code}`}${stderr.trim() ? `: ${stderr.trim().split("\n").slice(-3).join(" | ")}` : ""}`,
        );
    });
    // A command that does not read its input is fine: ignore EPIPE.
    child.stdin.on("error", () => undefined);
    child.stdin.end(`${JSON.stringify(document)}\n`);
  });
}

/** Appends JSON lines to `<dir>/alerts.jsonl` and `<dir>/events.jsonl` (created 0700, files 0600). */
export class JsonLinesLog {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  alert(alert: WatchAlert): void {
    appendFileSync(join(this.dir, "alerts.jsonl"), `${JSON.stringify(alert)}\n`, { mode: 0o600 });
  }
  event(record: Record<string, unknown>): void {
    appendFileSync(join(this.dir, "events.jsonl"), `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }
  /** Appends one record to `<dir>/<file>`. */
  record(file: string, record: object): void {
    appendFileSync(join(this.dir, file), `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }
}
