import { execFileSync } from "node:child_process";
import type { Finding } from "../engine/finding";
import type { EngineAuditOptions } from "./audit-engine";
import { EngineUnreachableError } from "./engine";
import { nodeArgsFor, packageModulePath } from "./module-path";

export type SyncAuditOutcome =
  | {
      ok: true;
      findings: Finding[];
      engine: string;
      serverVersion?: string | undefined;
      notes: string[];
      /** `docker://…` name of every object audited (the daemon first). */
      objects: string[];
    }
  | { ok: false; unreachable?: { address: string; reason: string }; message: string };

export type SyncAuditResult = Extract<SyncAuditOutcome, { ok: true }>;

/**
 * The live audit for synchronous callers: the Engine API client is asynchronous, so the audit
 * runs in a child node process and this call waits for it. Throws `EngineUnreachableError` when
 * the engine does not answer, and an `Error` with the worker's message for anything else.
 */
export function auditEngineSync(options: EngineAuditOptions = {}): SyncAuditResult {
  const worker = packageModulePath(__dirname, "sync-worker");
  const stdout = execFileSync(process.execPath, [...nodeArgsFor(worker), worker], {
    input: JSON.stringify(options),
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const outcome = JSON.parse(stdout.toString("utf8")) as SyncAuditOutcome;
  if (outcome.ok) return outcome;
  if (outcome.unreachable)
    throw new EngineUnreachableError(outcome.unreachable.address, outcome.unreachable.reason);
  throw new Error(outcome.message);
}
