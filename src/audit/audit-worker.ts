/**
 * A worker thread of a parallel audit (`shipshape audit --jobs N`): runs an `AuditShard` on the
 * batches it is sent and answers each with its files' outcomes and findings. A rule's
 * references cross once (by number), not once per finding.
 */
import { workerData } from "node:worker_threads";
import type { OrderedFinding } from "../engine/file-audit";
import type { References } from "../rules/rule";
import { AuditShard } from "./audit-shard";
import type { AuditWorkerData, FromWorker, ToWorker, WireFinding } from "./parallel-protocol";

const { audit, load, port, signal } = workerData as AuditWorkerData;
const shard = new AuditShard(audit, load);

/** References already sent, by object. */
const referenceIds = new Map<References, number>();
let newReferences: References[] = [];

function wire(parts: readonly OrderedFinding[]): { findings: WireFinding[]; references: References[] } {
  const findings = parts.map(({ finding, ordinal, pass, order }) => {
    let id = referenceIds.get(finding.references);
    if (id === undefined) {
      id = referenceIds.size;
      referenceIds.set(finding.references, id);
      newReferences.push(finding.references);
    }
    return { ...finding, references: id, ordinal, pass, order };
  });
  const references = newReferences;
  newReferences = [];
  return { findings, references };
}

function post(message: FromWorker): void {
  port.postMessage(message);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function handle(message: ToWorker): void {
  switch (message.type) {
    case "close":
      port.close();
      return;
    case "context":
      post({ type: "joined", ...wire(shard.join(message.context)) });
      return;
    case "scan":
    case "files": {
      const { outcomes, findings } =
        message.type === "scan" ? shard.scan(message.items) : shard.audit(message.items);
      post({ type: message.type, outcomes, ...wire(findings) });
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
