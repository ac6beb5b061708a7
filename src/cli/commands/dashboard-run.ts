/** `shipshape dashboard` at work: the collector and the server until SIGINT or SIGTERM. */
import { DashboardCollector, type DashboardOptions } from "../../dashboard/collector";
import { type DashboardServer, startDashboardServer } from "../../dashboard/server";
import { EngineUnreachableError, parseEngineAddress } from "../../live/engine";
import { parseDuration, parsePercent } from "../../watch/options";
import { type CliIo, EXIT_CLEAN, EXIT_INPUT } from "../io";
import { type ListenAddress, parseListen } from "../listen";
import type { DashboardFlags } from "./dashboard";

/** The most resource points a graph keeps (an hour at one a second). */
const MAX_HISTORY_SECONDS = 3600;

export function dashboardOptions(flags: DashboardFlags): {
  listen: ListenAddress;
  options: DashboardOptions;
} {
  const listen = parseListen(flags.listen, {
    loopbackOnly: true,
    allowPortZero: true,
    example: "127.0.0.1 and a port, e.g. 127.0.0.1:9180",
    why: "the dashboard has no authentication (reach it from elsewhere through an SSH tunnel)",
  });
  const refreshSeconds = parseDuration(flags.refresh, "option '--refresh'");
  const historySeconds = parseDuration(flags.history, "option '--history'");
  if (historySeconds > MAX_HISTORY_SECONDS)
    throw new Error(`option '--history' ${JSON.stringify(flags.history)} is over 1h; give a shorter history`);
  const options: DashboardOptions = {
    refreshSeconds,
    historyPoints: Math.max(2, Math.round(historySeconds)),
    resourceThreshold: parsePercent(flags.resourceThreshold, "option '--resource-threshold'"),
    runtimeLimitSeconds: parseDuration(flags.runtimeLimit, "option '--runtime-limit'"),
  };
  if (flags.host !== undefined) options.host = flags.host;
  parseEngineAddress(options.host);
  return { listen, options };
}

export async function runDashboard(flags: DashboardFlags, io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof dashboardOptions>;
  try {
    parsed = dashboardOptions(flags);
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\n`);
    return EXIT_INPUT;
  }
  const collector = new DashboardCollector(parsed.options);
  try {
    await collector.start();
  } catch (e) {
    collector.stop();
    if (e instanceof EngineUnreachableError) {
      io.stderr(`error: ${e.message}\n`);
      return EXIT_INPUT;
    }
    throw e;
  }
  let server: DashboardServer;
  try {
    server = await startDashboardServer(parsed.listen.host, parsed.listen.port, () => collector.snapshot());
  } catch (e) {
    collector.stop();
    io.stderr(`error: cannot listen on ${flags.listen}: ${(e as Error).message}\n`);
    return EXIT_INPUT;
  }
  io.stderr(`dashboard: ${server.url} (engine ${collector.engine}; Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
      collector.stop();
      void server.close().then(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return EXIT_CLEAN;
}
