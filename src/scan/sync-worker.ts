// The scan worker of `shipshape scan`: reads a ScanJob as JSON on stdin, scans, and writes the
// outcome as JSON on stdout; progress goes to stderr.
import { readFileSync } from "node:fs";
import { runWorker } from "../program/worker-process";
import { ScanError } from "./errors";
import { scanImage } from "./scan";
import type { ScanJob, ScanJobOutcome } from "./sync";

runWorker(async () => {
  const job = JSON.parse(readFileSync(0, "utf8")) as ScanJob;
  const started = Date.now();
  const request = {
    ...job.request,
    ...(job.progress
      ? {
          onProgress: (m: string) =>
            process.stderr.write(`scan: ${m} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`),
        }
      : {}),
  };
  let outcome: ScanJobOutcome;
  try {
    const o = await scanImage(request, job.gate);
    outcome = {
      ok: true,
      report: o.report,
      reportPath: o.reportPath,
      sarifPath: o.sarifPath,
      scanned: o.scanned,
      imageRef: o.imageRef,
    };
  } catch (error) {
    if (!(error instanceof ScanError)) throw error;
    outcome = { ok: false, failure: error.failure, message: error.message };
  }
  process.stdout.write(JSON.stringify(outcome));
  return 0;
});
