/**
 * `shipshape watch`: the runtime monitor, its options and help. The work (watch-run.ts and
 * src/watch/) loads only when it runs. It runs until SIGINT or SIGTERM (exit 0); an engine it cannot reach at the start
 * is exit 2.
 */
import type { Command } from "commander";
import {
  ALL_WATCH_CHECKS,
  DEFAULT_INTERVAL_SECONDS,
  DEFAULT_RESOURCE_THRESHOLD,
  DEFAULT_RUNTIME_LIMIT_SECONDS,
} from "../../watch/options";
import { type CliIo, collectList, EXIT_INPUT, UsageError } from "../io";
import type { PendingActions } from "./secrets";

/** The flags as commander hands them over (`--no-<check>` sets `<check>: false`). */
export interface WatchFlags {
  host?: string;
  interval: string;
  resourceThreshold: string;
  runtimeLimit: string;
  alertCommand?: string;
  alertArg: string[];
  containers: string[];
  logDir?: string;
  minSeverity: string;
  daemonize: boolean;
  verbose: boolean;
  resources: boolean;
  runtime: boolean;
  audit: boolean;
  exec: boolean;
  oom: boolean;
  restart: boolean;
}

const CHECK_HELP: Record<string, string> = {
  resources: "CPU or memory over --resource-threshold",
  runtime: "a container running longer than --runtime-limit",
  audit: "a new container that violates the live audit's rules (privileged, host namespaces, socket mount…)",
  exec: "a process started with docker exec",
  oom: "an OOM kill",
  restart: "a container restart",
};

export function registerWatch(program: Command, io: CliIo, pending?: PendingActions): void {
  const watch = program
    .command("watch")
    .description(
      "Watch a live Docker engine on its event and stats streams and alert on resource use, runtime, unhardened new containers, exec, OOM kills and restarts.",
    )
    .option(
      "--host <address>",
      "engine address: unix:///path, tcp://host:port (default: DOCKER_HOST, else the local socket)",
    )
    .option(
      "--interval <duration>",
      "window over which CPU and memory are averaged before the threshold check (seconds, or 30s, 5m …)",
      String(DEFAULT_INTERVAL_SECONDS),
    )
    .option(
      "--resource-threshold <percent>",
      "alert when CPU (of the container's CPU limit, one CPU without one) or memory (of its limit) goes over this",
      String(DEFAULT_RESOURCE_THRESHOLD),
    )
    .option(
      "--runtime-limit <duration>",
      "alert when a container has run longer than this (seconds, or 90m, 12h, 1d …)",
      `${DEFAULT_RUNTIME_LIMIT_SECONDS / 3600}h`,
    )
    .option(
      "--alert-command <file>",
      "run this program once per alert, the alert as JSON on standard input (never through a shell)",
    )
    .option(
      "--alert-arg <arg>",
      "an argument of the alert command (repeatable, in order)",
      (v: string, p: string[] = []) => [...p, v],
      [],
    )
    .option(
      "--containers <names>",
      "watch only these containers, by name or id (repeatable, or comma-separated)",
      collectList,
      [],
    )
    .option("--log-dir <dir>", "write alerts.jsonl and events.jsonl (JSON lines) into this directory")
    .option(
      "--min-severity <severity>",
      "the least severe audit finding the audit check alerts on: low, medium, high, critical",
      "high",
    )
    .option(
      "--daemonize",
      "run in the background (needs --log-dir: its output goes to watch.log there, its pid to watch.pid)",
      false,
    )
    .option("-v, --verbose", "print every engine event seen", false);
  for (const check of ALL_WATCH_CHECKS)
    watch.option(`--no-${check}`, `do not check: ${CHECK_HELP[check] ?? check}`);
  watch.action((flags: WatchFlags) => {
    if (!pending)
      throw new UsageError("shipshape watch runs asynchronously; call it through the shipshape command");
    pending.push(
      import("./watch-run").then(
        (m) => m.runWatch(flags, io),
        (e: unknown) => {
          io.stderr(`error: ${(e as Error).message}\n`);
          return EXIT_INPUT;
        },
      ),
    );
  });
}
