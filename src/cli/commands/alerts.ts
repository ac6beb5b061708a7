/**
 * `shipshape alerts receive`: Alertmanager's webhook on the engine's host, running a command per
 * alert (the command route of an ObservabilityStack: `alertReceiver.hostPort`). The work
 * (alerts-run.ts, src/observability/receiver.ts) loads only when it runs. It runs until SIGINT or
 * SIGTERM (exit 0); an address it cannot listen on is exit 2.
 */
import type { Command } from "commander";
import { type CliIo, EXIT_INPUT, UsageError } from "../io";
import type { PendingActions } from "./secrets";

export interface AlertsReceiveFlags {
  listen: string;
  path: string;
  alertCommand?: string;
  alertArg: string[];
  logDir?: string;
}

export function registerAlerts(program: Command, io: CliIo, pending?: PendingActions): void {
  const alerts = program
    .command("alerts")
    .description("Receive an ObservabilityStack's alerts from Alertmanager (its webhook) and act on them.");
  alerts
    .command("receive")
    .description(
      "Listen for Alertmanager's webhook and run a command once per alert, the alert as JSON on standard input (never through a shell); prints one line per alert.",
    )
    .requiredOption(
      "--listen <host:port>",
      "where to listen: the monitoring network's gateway (the stack's gateway output) and alertReceiver.hostPort",
    )
    .option("--path <path>", "the path Alertmanager posts to (alertReceiver.path)", "/alerts")
    .option("--alert-command <file>", "run this program once per alert, the alert as JSON on standard input")
    .option(
      "--alert-arg <arg>",
      "an argument of the alert command (repeatable, in order)",
      (v: string, p: string[] = []) => [...p, v],
      [],
    )
    .option("--log-dir <dir>", "append each alert to alerts.jsonl (JSON lines) in this directory")
    .action((flags: AlertsReceiveFlags) => {
      if (!pending)
        throw new UsageError(
          "shipshape alerts receive runs asynchronously; call it through the shipshape command",
        );
      pending.push(
        import("./alerts-run").then(
          (m) => m.runAlertsReceive(flags, io),
          (e: unknown) => {
            io.stderr(`error: ${(e as Error).message}\n`);
            return EXIT_INPUT;
          },
        ),
      );
    });
}
