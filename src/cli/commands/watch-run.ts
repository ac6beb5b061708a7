/**
 * `shipshape watch` at work: reads the flags into `WatchOptions`, then runs the `Watcher` until
 * SIGINT or SIGTERM, sending each alert to standard output, the JSON-lines log and the alert command.
 */
import { spawn } from "node:child_process";
import { openSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { connectEngine, EngineUnreachableError, parseEngineAddress } from "../../live/engine";
import { printableLines } from "../../report/untrusted";
import { JsonLinesLog, runAlertCommand, type WatchAlert } from "../../watch/alert";
import {
  ALL_WATCH_CHECKS,
  parseDuration,
  parsePercent,
  type WatchCheck,
  type WatchOptions,
} from "../../watch/options";
import { Watcher } from "../../watch/watcher";
import type { CliIo } from "../io";
import { EXIT_CLEAN, EXIT_INPUT } from "../io";
import type { WatchFlags } from "./watch";

const AUDIT_SEVERITIES = ["low", "medium", "high", "critical"] as const;

/** The flags as `WatchOptions`; throws an error naming the option, the value and the fix. */
export function watchOptions(flags: WatchFlags): WatchOptions {
  const checks = new Set<WatchCheck>(ALL_WATCH_CHECKS.filter((c) => flags[c] !== false));
  const severity = AUDIT_SEVERITIES.find((s) => s === flags.minSeverity);
  if (severity === undefined)
    throw new Error(
      `option '--min-severity' ${JSON.stringify(flags.minSeverity)} is not a severity; give one of ${AUDIT_SEVERITIES.join(", ")}`,
    );
  if (flags.alertArg.length > 0 && flags.alertCommand === undefined)
    throw new Error("option '--alert-arg' needs --alert-command <file>: the arguments are that program's");
  if (flags.alertCommand !== undefined && flags.alertCommand.trim() === "")
    throw new Error(
      "option '--alert-command' is empty; give the program to run, e.g. --alert-command /usr/bin/logger",
    );
  if (flags.daemonize && flags.logDir === undefined)
    throw new Error(
      "option '--daemonize' needs --log-dir <dir>: a background watcher's alerts and output go there",
    );
  const options: WatchOptions = {
    intervalSeconds: parseDuration(flags.interval, "option '--interval'"),
    resourceThreshold: parsePercent(flags.resourceThreshold, "option '--resource-threshold'"),
    runtimeLimitSeconds: parseDuration(flags.runtimeLimit, "option '--runtime-limit'"),
    containers: flags.containers,
    checks,
    auditMinSeverity: severity,
    verbose: flags.verbose,
  };
  if (flags.host !== undefined) options.host = flags.host;
  if (flags.alertCommand !== undefined) options.alertCommand = [flags.alertCommand, ...flags.alertArg];
  if (flags.logDir !== undefined) options.logDir = resolve(flags.logDir);
  parseEngineAddress(options.host);
  return options;
}

function safe(write: () => void): void {
  try {
    write();
  } catch {
    // A closed standard output must not stop the watcher: the log and the command still get alerts.
  }
}

/** Starts a detached copy of this command without `--daemonize`, once the engine answers. */
async function daemonize(options: WatchOptions, io: CliIo): Promise<number> {
  await connectEngine(parseEngineAddress(options.host));
  const logDir = options.logDir as string;
  new JsonLinesLog(logDir);
  const script = process.argv[1];
  if (script === undefined) throw new Error("--daemonize: cannot tell which script runs shipshape");
  const args = process.argv.slice(2).filter((a) => a !== "--daemonize");
  const out = openSync(join(logDir, "watch.log"), "a", 0o600);
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
    detached: true,
    stdio: ["ignore", out, out],
    shell: false,
  });
  const pid = child.pid;
  child.unref();
  if (pid === undefined) throw new Error("--daemonize: the background watcher did not start");
  writeFileSync(join(logDir, "watch.pid"), `${pid}\n`, { mode: 0o600 });
  io.stderr(`shipshape watch runs in the background: pid ${pid}, output in ${join(logDir, "watch.log")}\n`);
  return EXIT_CLEAN;
}

/** Runs `shipshape watch` with `flags`; resolves to the exit code. */
export async function runWatch(flags: WatchFlags, io: CliIo): Promise<number> {
  let options: WatchOptions;
  try {
    options = watchOptions(flags);
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\n`);
    return EXIT_INPUT;
  }
  try {
    if (flags.daemonize) return await daemonize(options, io);
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\n`);
    return EXIT_INPUT;
  }
  const log = options.logDir !== undefined ? new JsonLinesLog(options.logDir) : undefined;
  const commands = new Set<Promise<unknown>>();
  const watcher = new Watcher(options, {
    alert(alert: WatchAlert) {
      log?.alert(alert);
      safe(() =>
        io.stdout(
          printableLines(
            `alert ${alert.check} ${alert.severity} ${alert.container.name}: ${alert.message}\n`,
          ),
        ),
      );
      if (options.alertCommand) {
        const p = runAlertCommand(options.alertCommand, alert).then((failure) => {
          if (failure) safe(() => io.stderr(`watch: ${failure}\n`));
        });
        commands.add(p);
        void p.finally(() => commands.delete(p));
      }
    },
    status(message: string) {
      safe(() => io.stderr(`watch: ${message}\n`));
    },
    event(record: Record<string, unknown>) {
      log?.event(record);
      if (options.verbose && record.kind === "event") {
        const c = record.container as { name?: string; id?: string };
        safe(() =>
          io.stderr(printableLines(`watch: event ${String(record.action)} ${c.name || c.id || ""}\n`)),
        );
      }
    },
  });
  try {
    await watcher.start();
  } catch (e) {
    watcher.stop();
    if (e instanceof EngineUnreachableError) {
      io.stderr(`error: ${e.message}\n`);
      return EXIT_INPUT;
    }
    throw e;
  }
  const stop = () => watcher.stop();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await watcher.done;
  process.removeListener("SIGINT", stop);
  process.removeListener("SIGTERM", stop);
  await Promise.allSettled([...commands]);
  return EXIT_CLEAN;
}
