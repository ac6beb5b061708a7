/**
 * A receiver for Alertmanager's webhook (its JSON format, version 4) that runs a command per alert:
 * how an ObservabilityStack's alerts reach a command (`alertReceiver.hostPort` points Alertmanager
 * at it on the engine's host). Each alert goes to the command as one JSON document on standard
 * input, through an argument array, never a shell; the request is answered once every command ran,
 * so Alertmanager retries a delivery whose command failed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { z } from "zod";
import { runCommandWithJson } from "../watch/alert";

/** The largest webhook body accepted (Alertmanager batches alerts of one group). */
export const MAX_BODY_BYTES = 1024 * 1024;

const labelSet = z.record(z.string(), z.string());
const webhookSchema = z.object({
  version: z.string(),
  status: z.enum(["firing", "resolved"]),
  receiver: z.string(),
  groupKey: z.string().optional(),
  alerts: z
    .array(
      z.object({
        status: z.enum(["firing", "resolved"]),
        labels: labelSet,
        annotations: labelSet.optional(),
        startsAt: z.string().optional(),
        endsAt: z.string().optional(),
        fingerprint: z.string().optional(),
      }),
    )
    .max(10_000),
});

/** One alert as the command reads it. */
export interface ReceivedAlert {
  version: 1;
  source: "alertmanager";
  status: "firing" | "resolved";
  alertname: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  receiver: string;
}

export interface ReceiverOptions {
  /** The path Alertmanager POSTs to. */
  path: string;
  /** The command and its arguments; without one, alerts are only reported through `onAlert`. */
  command?: readonly string[];
  /** Called for each alert (the CLI prints a line, and writes the JSON-lines log). */
  onAlert?: (alert: ReceivedAlert) => void;
  /** Called when a command fails (its message). */
  onCommandFailure?: (message: string, alert: ReceivedAlert) => void;
}

/** The alerts of a webhook body, or a message saying why it is not one. */
export function parseWebhook(body: string): { alerts: ReceivedAlert[] } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { error: "the body is not JSON" };
  }
  const parsed = webhookSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      error: `not an Alertmanager webhook: ${first ? `${first.path.join(".") || "(body)"}: ${first.message}` : "invalid"}`,
    };
  }
  return {
    alerts: parsed.data.alerts.map((a) => {
      const alert: ReceivedAlert = {
        version: 1,
        source: "alertmanager",
        status: a.status,
        alertname: a.labels.alertname ?? "",
        labels: a.labels,
        annotations: a.annotations ?? {},
        receiver: parsed.data.receiver,
      };
      if (a.startsAt) alert.startsAt = a.startsAt;
      if (a.endsAt) alert.endsAt = a.endsAt;
      return alert;
    }),
  };
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(`${text}\n`);
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ReceiverOptions): Promise<void> {
  const path = (req.url ?? "").split("?")[0];
  if (path !== options.path) return reply(res, 404, `POST alerts to ${options.path}`);
  if (req.method !== "POST") return reply(res, 405, "POST only");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      reply(res, 413, `the body is over ${MAX_BODY_BYTES} bytes`);
      req.destroy();
      return;
    }
    chunks.push(chunk as Buffer);
  }
  const result = parseWebhook(Buffer.concat(chunks).toString("utf8"));
  if ("error" in result) return reply(res, 400, result.error);
  let failed = 0;
  for (const alert of result.alerts) {
    options.onAlert?.(alert);
    if (!options.command) continue;
    const failure = await runCommandWithJson(options.command, alert);
    if (failure) {
      failed++;
      options.onCommandFailure?.(failure, alert);
    }
  }
  // A failed command makes Alertmanager retry the whole group later.
  if (failed > 0) return reply(res, 500, `${failed} of ${result.alerts.length} alert command(s) failed`);
  reply(res, 200, `${result.alerts.length} alert(s) received`);
}

/** Starts the receiver on `host:port`; resolves once it listens. */
export function startReceiver(host: string, port: number, options: ReceiverOptions): Promise<Server> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((e: unknown) => {
      if (!res.headersSent) reply(res, 500, (e as Error).message);
    });
  });
  // Alertmanager's own timeout is 10 s by default; a hung client gets no longer.
  server.requestTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
