/**
 * Runs one live audit in a child process for callers that must stay synchronous (the CLI):
 * options as JSON on stdin, the outcome as JSON on stdout.
 */
import { readFileSync } from "node:fs";
import { reportedSuppressions } from "../report/suppressions";
import { auditEngine, type EngineAuditOptions } from "./audit-engine";
import { EngineUnreachableError } from "./engine";
import { snapshotResources } from "./read-engine";
import type { SyncAuditOutcome } from "./sync";

async function main(): Promise<void> {
  const options = JSON.parse(readFileSync(0, "utf8")) as EngineAuditOptions;
  let outcome: SyncAuditOutcome;
  try {
    const { snapshot, findings } = await auditEngine(options);
    outcome = {
      ok: true,
      findings,
      engine: snapshot.engine,
      serverVersion: snapshot.serverVersion,
      notes: snapshot.notes,
      objects: [snapshot.daemon, ...snapshot.workloads].map((o) => o.origin.file),
      suppressions: reportedSuppressions(snapshotResources(snapshot)),
    };
  } catch (error) {
    outcome =
      error instanceof EngineUnreachableError
        ? { ok: false, unreachable: { address: error.address, reason: error.reason }, message: error.message }
        : { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  process.stdout.write(JSON.stringify(outcome));
  // A stalled engine connection may still be open: it must not keep this process alive.
  process.exit(0);
}

void main();
