import { execFileSync } from "node:child_process";
import type { Finding } from "../engine/finding";
import { nodeArgsFor, packageModulePath } from "../program/module-path";
import type { ReportedSuppression } from "../report/report";
import type { EngineAuditOptions } from "./audit-engine";
import { EngineUnreachableError } from "./engine";
import { DEFAULT_ENGINE_DEADLINE_MS } from "./read-engine";

/** How long past its own deadline the worker may take before it is killed. */
const WORKER_GRACE_MS = 10_000;

export type SyncAuditOutcome =
  | {
      ok: true;
      findings: Finding[];
      engine: string;
      serverVersion?: string | undefined;
      notes: string[];
      /** `docker://…` name of every object audited (the daemon first). */
      objects: string[];
      /** The suppression labels of the audited containers, with their reasons. */
      suppressions: ReportedSuppression[];
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
  const deadlineMs = options.deadlineMs ?? DEFAULT_ENGINE_DEADLINE_MS;
  let stdout: Buffer;
  try {
    stdout = execFileSync(process.execPath, [...nodeArgsFor(worker), worker], {
      input: JSON.stringify(options),
      maxBuffer: 256 * 1024 * 1024,
      stdio: ["pipe", "pipe", "inherit"],
      // The worker bounds itself; this only stops one that cannot (stuck outside the event loop).
      timeout: deadlineMs + WORKER_GRACE_MS,
      killSignal: "SIGKILL",
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ETIMEDOUT") {
      throw new EngineUnreachableError(
        options.host ?? "the default engine",
        `the live audit did not finish within ${(deadlineMs + WORKER_GRACE_MS) / 1000} s`,
      );
    }
    throw error;
  }
  const outcome = JSON.parse(stdout.toString("utf8")) as SyncAuditOutcome;
  if (outcome.ok) return outcome;
  if (outcome.unreachable)
    throw new EngineUnreachableError(outcome.unreachable.address, outcome.unreachable.reason);
  throw new Error(outcome.message);
}
