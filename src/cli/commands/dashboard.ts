/**
 * `shipshape dashboard`: a page on loopback with every container of an engine, its hardening
 * status, its resource graphs and the runtime watcher's alerts (the seed's
 * `container-observability --dashboard`). The work (dashboard-run.ts, src/dashboard/) loads
 * only when it runs. It runs until SIGINT or SIGTERM (exit 0).
 */
import type { Command } from "commander";
import { DEFAULT_RESOURCE_THRESHOLD, DEFAULT_RUNTIME_LIMIT_SECONDS } from "../../watch/options";
import { type CliIo, EXIT_INPUT, UsageError } from "../io";
import type { PendingActions } from "./secrets";

export const DEFAULT_DASHBOARD_LISTEN = "127.0.0.1:9180";

export interface DashboardFlags {
  listen: string;
  host?: string;
  refresh: string;
  history: string;
  resourceThreshold: string;
  runtimeLimit: string;
}

export function registerDashboard(program: Command, io: CliIo, pending?: PendingActions): void {
  program
    .command("dashboard")
    .description(
      "Serve a dashboard on loopback: every container with its hardening status (the live audit), CPU and memory graphs, and the runtime watcher's alerts.",
    )
    .option(
      "--listen <host:port>",
      "where to serve it: a loopback address (port 0 lets the system choose; the URL is printed)",
      DEFAULT_DASHBOARD_LISTEN,
    )
    .option(
      "--host <address>",
      "engine address: unix:///path, tcp://host:port (default: DOCKER_HOST, else the local socket)",
    )
    .option("--refresh <duration>", "how often the container list is read and the page updates", "5s")
    .option("--history <duration>", "how much resource history each graph shows (one point a second)", "2m")
    .option(
      "--resource-threshold <percent>",
      "the watcher alerts when CPU or memory goes over this",
      String(DEFAULT_RESOURCE_THRESHOLD),
    )
    .option(
      "--runtime-limit <duration>",
      "the watcher alerts when a container has run longer than this",
      `${DEFAULT_RUNTIME_LIMIT_SECONDS / 3600}h`,
    )
    .action((flags: DashboardFlags) => {
      if (!pending)
        throw new UsageError(
          "shipshape dashboard runs asynchronously; call it through the shipshape command",
        );
      pending.push(
        import("./dashboard-run").then(
          (m) => m.runDashboard(flags, io),
          (e: unknown) => {
            io.stderr(`error: ${(e as Error).message}\n`);
            return EXIT_INPUT;
          },
        ),
      );
    });
}
