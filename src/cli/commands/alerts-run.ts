/** `shipshape alerts receive` at work: the receiver until SIGINT or SIGTERM. */
import { type ReceivedAlert, startReceiver } from "../../observability/receiver";
import { printableLines } from "../../report/untrusted";
import { JsonLinesLog } from "../../watch/alert";
import { type CliIo, EXIT_CLEAN, EXIT_INPUT } from "../io";
import { parseListen } from "../listen";
import type { AlertsReceiveFlags } from "./alerts";

export async function runAlertsReceive(flags: AlertsReceiveFlags, io: CliIo): Promise<number> {
  let listen: { host: string; port: number };
  try {
    listen = parseListen(flags.listen, {
      example: "the monitoring network's gateway and a port, e.g. 172.18.0.1:9095 (or 127.0.0.1)",
      why: "the webhook has no authentication",
    });
    if (!flags.path.startsWith("/"))
      throw new Error(`option '--path' ${JSON.stringify(flags.path)} must start with /`);
    if (flags.alertArg.length > 0 && flags.alertCommand === undefined)
      throw new Error("option '--alert-arg' needs --alert-command <file>: the arguments are that program's");
    if (flags.alertCommand !== undefined && flags.alertCommand.trim() === "")
      throw new Error(
        "option '--alert-command' is empty; give the program to run, e.g. --alert-command /usr/bin/logger",
      );
  } catch (e) {
    io.stderr(`error: ${(e as Error).message}\n`);
    return EXIT_INPUT;
  }
  const log = flags.logDir !== undefined ? new JsonLinesLog(flags.logDir) : undefined;
  const line = (a: ReceivedAlert) =>
    printableLines(
      `alert ${a.status} ${a.alertname} ${a.labels.name ?? a.labels.instance ?? ""}: ${a.annotations.summary ?? ""}\n`.replace(
        /\s+:/,
        ":",
      ),
    );
  let server: Awaited<ReturnType<typeof startReceiver>>;
  try {
    server = await startReceiver(listen.host, listen.port, {
      path: flags.path,
      ...(flags.alertCommand ? { command: [flags.alertCommand, ...flags.alertArg] } : {}),
      onAlert: (a) => {
        log?.record("alerts.jsonl", a);
        io.stdout(line(a));
      },
      onCommandFailure: (message) => io.stderr(`alerts: ${message}\n`),
    });
  } catch (e) {
    io.stderr(`error: cannot listen on ${flags.listen}: ${(e as Error).message}\n`);
    return EXIT_INPUT;
  }
  io.stderr(`alerts: receiving on http://${flags.listen}${flags.path}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return EXIT_CLEAN;
}
