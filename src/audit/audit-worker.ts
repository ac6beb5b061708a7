/**
 * A worker thread of a parallel audit (`shipshape audit --jobs N`): runs an `AuditShard` on the
 * batches it is sent and answers each with its files' outcomes and findings. Findings cross
 * in a compact form (`FindingEncoder`).
 */
import { workerData } from "node:worker_threads";
import { AuditShard } from "./audit-shard";
import { FindingEncoder } from "./finding-wire";
import type { AuditWorkerData, FromWorker, ToWorker } from "./parallel-protocol";

const { audit, load, port, signal } = workerData as AuditWorkerData;
const shard = new AuditShard(audit, load);

const encoder = new FindingEncoder();

function post(message: FromWorker): void {
  port.postMessage(message, "findings" in message ? [message.findings.numbers.buffer] : []);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function handle(message: ToWorker): void {
  switch (message.type) {
    case "close":
      port.close();
      return;
    case "context":
      post({ type: "joined", findings: encoder.encode(shard.join(message.context)) });
      return;
    case "scan":
    case "files": {
      const { outcomes, findings } =
        message.type === "scan" ? shard.scan(message.items) : shard.audit(message.items);
      post({ type: message.type, outcomes, findings: encoder.encode(findings) });
      return;
    }
  }
}

port.on("message", (message: ToWorker) => {
  try {
    handle(message);
  } catch (e) {
    post({ type: "failed", message: (e as Error).stack ?? String(e) });
    port.close();
  }
});
