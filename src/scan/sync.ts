import { execFileSync } from "node:child_process";
import { nodeArgsFor, packageModulePath } from "../program/module-path";
import type { GateSettings } from "./gate";
import type { ScanReport } from "./report";
import type { ScanRequest } from "./scan";

/** What the scan worker reads on standard input. */
export interface ScanJob {
  request: Omit<ScanRequest, "onProgress">;
  gate: GateSettings;
  /** Progress lines on standard error. */
  progress: boolean;
}

export type ScanJobOutcome =
  | {
      ok: true;
      report: ScanReport;
      reportPath: string;
      sarifPath: string;
      scanned: boolean;
      imageRef: string;
    }
  | { ok: false; failure: string; message: string };

/**
 * A scan for synchronous callers (the CLI): the scan runs in a child node process, which writes
 * its progress to this process's standard error, and this call waits for its outcome.
 */
export function scanSync(job: ScanJob): ScanJobOutcome {
  const worker = packageModulePath(__dirname, "sync-worker");
  const grace = 30_000;
  try {
    const stdout = execFileSync(process.execPath, [...nodeArgsFor(worker), worker], {
      input: JSON.stringify(job),
      maxBuffer: 512 * 1024 * 1024,
      stdio: ["pipe", "pipe", "inherit"],
      timeout: (job.request.timeoutMs ?? 300_000) + grace,
      killSignal: "SIGKILL",
    });
    return JSON.parse(stdout.toString("utf8")) as ScanJobOutcome;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ETIMEDOUT") {
      return { ok: false, failure: "timeout", message: "the scan did not finish in time and was stopped" };
    }
    return {
      ok: false,
      failure: "scanner-failed",
      message: `the scan worker failed: ${(error as Error).message}`,
    };
  }
}
