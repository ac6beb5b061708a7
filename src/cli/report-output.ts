import { writeReport } from "../report/output";
import type { AuditReport } from "../report/report";
import type { ReportFormat } from "../report/reporters";
import { type CliIo, UsageError } from "./io";

/** Writes the report (see `writeReport`); an unwritable `--output` is a usage error. */
export function emitReport(format: ReportFormat, report: AuditReport, io: CliIo, output?: string): void {
  try {
    writeReport(format, report, io.stdout, output);
  } catch (e) {
    if (output === undefined) throw e;
    throw new UsageError(`option '--output' ${(e as Error).message}`);
  }
}
