/**
 * `shipshape analyze --container NAME`: a behaviour report on one container (the seed's
 * `container-observability --analyze`). The work (analyze-run.ts, src/analyze/) loads only when
 * it runs.
 */
import type { Command } from "commander";
import { type CliIo, EXIT_INPUT, UsageError } from "../io";
import type { PendingActions } from "./secrets";

export interface AnalyzeFlags {
  container: string;
  window: string;
  since: string;
  host?: string;
  format: string;
  output?: string;
  failOn?: string;
}

export function registerAnalyze(program: Command, io: CliIo, pending?: PendingActions): void {
  program
    .command("analyze")
    .description(
      "A behaviour report on one container: its resource profile over a window, restarts, exits, OOM kills and exec sessions from the engine's events, and the live audit's findings.",
    )
    .requiredOption("--container <name>", "the container's name or id")
    .option("--window <duration>", "how long to read its stats stream (seconds, or 30s, 5m …)", "10s")
    .option(
      "--since <duration>",
      "how far back to read the engine's events (seconds, or 90m, 12h, 1d …)",
      "24h",
    )
    .option(
      "--host <address>",
      "engine address: unix:///path, tcp://host:port (default: DOCKER_HOST, else the local socket)",
    )
    .option("--format <format>", "text or json", "text")
    .option("-o, --output <file>", "write the report to this file instead of standard output")
    .option(
      "--fail-on <severity>",
      "exit 1 when the live audit has a finding this severe or worse (low, medium, high, critical)",
    )
    .action((flags: AnalyzeFlags) => {
      if (!pending)
        throw new UsageError("shipshape analyze runs asynchronously; call it through the shipshape command");
      pending.push(
        import("./analyze-run").then(
          (m) => m.runAnalyze(flags, io),
          (e: unknown) => {
            io.stderr(`error: ${(e as Error).message}\n`);
            return EXIT_INPUT;
          },
        ),
      );
    });
}
