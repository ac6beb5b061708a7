/**
 * Runs one cluster audit in a child process for callers that must stay synchronous (the CLI):
 * options as JSON on stdin, the outcome as JSON on stdout.
 */
import { readFileSync } from "node:fs";
import { auditCluster, type ClusterAuditOptions } from "./audit-cluster";
import { ClusterUnreachableError } from "./read-cluster";
import type { ClusterSyncOutcome } from "./sync";

async function main(): Promise<void> {
  const options = JSON.parse(readFileSync(0, "utf8")) as ClusterAuditOptions;
  let outcome: ClusterSyncOutcome;
  try {
    outcome = { ok: true, ...(await auditCluster(options)) };
  } catch (error) {
    outcome =
      error instanceof ClusterUnreachableError
        ? { ok: false, unreachable: { address: error.address, reason: error.reason }, message: error.message }
        : { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  process.stdout.write(JSON.stringify(outcome));
  // An open connection (a watch, a keep-alive socket) must not keep this process alive.
  process.exit(0);
}

void main();
