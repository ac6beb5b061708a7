import { execFileSync } from "node:child_process";
import { nodeArgsFor, packageModulePath } from "../../program/module-path";
import type { ClusterAuditOptions, ClusterAuditResult } from "./audit-cluster";
import { ClusterUnreachableError } from "./read-cluster";

/** How long past its own deadline the worker may take before it is killed. */
const WORKER_GRACE_MS = 10_000;
const DEFAULT_DEADLINE_MS = 60_000;

export type ClusterSyncOutcome =
  | ({ ok: true } & ClusterAuditResult)
  | { ok: false; unreachable?: { address: string; reason: string }; message: string };

/**
 * The cluster audit for synchronous callers: the client is asynchronous, so the audit runs in a
 * child node process and this call waits for it. Throws `ClusterUnreachableError` when the
 * cluster cannot be read, and an `Error` with the worker's message for anything else.
 */
export function auditClusterSync(options: ClusterAuditOptions = {}): ClusterAuditResult {
  const worker = packageModulePath(__dirname, "sync-worker");
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  let stdout: Buffer;
  try {
    stdout = execFileSync(process.execPath, [...nodeArgsFor(worker), worker], {
      input: JSON.stringify({ ...options, deadlineMs }),
      maxBuffer: 256 * 1024 * 1024,
      stdio: ["pipe", "pipe", "inherit"],
      timeout: deadlineMs + WORKER_GRACE_MS,
      killSignal: "SIGKILL",
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ETIMEDOUT") {
      throw new ClusterUnreachableError(
        options.kubeconfig ?? "the default kubeconfig",
        `the cluster audit did not finish within ${(deadlineMs + WORKER_GRACE_MS) / 1000} s`,
      );
    }
    throw error;
  }
  const outcome = JSON.parse(stdout.toString("utf8")) as ClusterSyncOutcome;
  if (outcome.ok) {
    const { ok: _ok, ...result } = outcome;
    return result;
  }
  if (outcome.unreachable)
    throw new ClusterUnreachableError(outcome.unreachable.address, outcome.unreachable.reason);
  throw new Error(outcome.message);
}
