import { closeSync, constants, openSync, realpathSync, statSync } from "node:fs";
import { BufferedFileWriter, writeFileAtomic } from "../audit/atomic-write";
import type { AuditReport } from "./report";
import { REPORT_WRITERS, type ReportFormat } from "./reporters";

/** Pieces of a report are handed to standard output in blocks of about this many characters. */
const STDOUT_BLOCK_CHARS = 64 * 1024;

/**
 * Writes `report` in `format` to `output` or, without one, to standard output, piece by piece
 * (memory stays bounded whatever the number of findings). A report file is replaced atomically:
 * a failed run leaves the previous report, never half of a new one. An output that is not a
 * regular file (`/dev/stdout`, a FIFO, a device) is written in place; it cannot be replaced.
 * A report that cannot be written throws an `Error` naming the file.
 */
export function writeReport(
  format: ReportFormat,
  report: AuditReport,
  stdout: (text: string) => void,
  output?: string,
): void {
  const writer = REPORT_WRITERS[format];
  if (output === undefined) {
    let parts: string[] = [];
    let pending = 0;
    writer(report, (chunk) => {
      parts.push(chunk);
      pending += chunk.length;
      if (pending >= STDOUT_BLOCK_CHARS) {
        stdout(parts.join(""));
        parts = [];
        pending = 0;
      }
    });
    if (parts.length > 0) stdout(parts.join(""));
    return;
  }
  try {
    const existing = statOrUndefined(output);
    if (existing && !existing.isFile()) {
      const fd = openSync(output, constants.O_WRONLY);
      try {
        const file = new BufferedFileWriter(fd);
        writer(report, (chunk) => file.write(chunk));
        file.flush();
      } finally {
        closeSync(fd);
      }
      return;
    }
    // Through a link, replace the file it names, not the link.
    const target = existing ? realpathSync(output) : output;
    writeFileAtomic(target, (write) => writer(report, write));
  } catch (e) {
    throw new Error(`cannot write "${output}": ${(e as Error).message}`);
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
