import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { WatchAlert } from "../../src/watch/alert";

export const ROOT = resolve(__dirname, "..", "..");
export const RECORDER = join(ROOT, "test", "fixtures", "watch", "record-alert.cjs");

/** One line the recorder wrote: the alert command's extra arguments and the alert it read. */
export interface Recorded {
  argv: string[];
  alert: WatchAlert;
}

/** A `shipshape watch` process (the real CLI, run from the sources). */
export interface WatchProcess {
  child: ChildProcess;
  stderr(): string;
  stdout(): string;
  /** Resolves when stderr has a line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Sends SIGTERM and resolves to the exit code. */
  stop(): Promise<number | null>;
  exited: Promise<number | null>;
}

export function startWatch(args: string[], env: NodeJS.ProcessEnv = process.env): WatchProcess {
  return startLongCommand(["watch", ...args], env);
}

/** A long-running shipshape command (`watch`, `dashboard`, …) as a process, from the sources. */
export function startLongCommand(args: string[], env: NodeJS.ProcessEnv = process.env): WatchProcess {
  const what = `shipshape ${args[0] ?? ""}`;
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return {
    child,
    stderr: () => err,
    stdout: () => out,
    exited,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(err)) {
        if (child.exitCode !== null) throw new Error(`${what} exited ${child.exitCode}: ${err}`);
        if (Date.now() > deadline)
          throw new Error(`no ${pattern} from ${what} within ${timeoutMs} ms; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** Every alert the recorder wrote to `file`. */
export function recorded(file: string): Recorded[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Recorded);
}

/** Waits until `ready(recorded)` holds; returns the recorded alerts. */
export async function waitForAlerts(
  file: string,
  ready: (alerts: Recorded[]) => boolean,
  timeoutMs: number,
  what: string,
): Promise<Recorded[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = recorded(file);
    if (ready(now)) return now;
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not within ${timeoutMs} ms; recorded: ${JSON.stringify(now.map((r) => [r.alert.check, r.alert.container.name]))}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** How many recorded alerts are of `check` for container `name`. */
export function count(alerts: Recorded[], check: string, name: string): number {
  return alerts.filter((a) => a.alert.check === check && a.alert.container.name === name).length;
}
