import type { ReportFormat } from "./formats";
import { writeHtmlReport } from "./html";
import { writeJsonReport } from "./json";
import { writeJunitReport } from "./junit";
import { writeMarkdownReport } from "./markdown";
import { collectReport, type Reporter, type ReportWriter } from "./report";
import { writeSarifReport } from "./sarif";
import { writeTextReport } from "./text";

export { REPORT_FORMATS, type ReportFormat } from "./formats";

/** Each format written piece by piece to a sink (what the CLI uses: memory stays bounded). */
export const REPORT_WRITERS: Record<ReportFormat, ReportWriter> = {
  text: writeTextReport,
  json: writeJsonReport,
  markdown: writeMarkdownReport,
  sarif: writeSarifReport,
  junit: writeJunitReport,
  html: writeHtmlReport,
};

/** Each format as one string, for small reports. */
export const REPORTERS: Record<ReportFormat, Reporter> = {
  text: collectReport(writeTextReport),
  json: collectReport(writeJsonReport),
  markdown: collectReport(writeMarkdownReport),
  sarif: collectReport(writeSarifReport),
  junit: collectReport(writeJunitReport),
  html: collectReport(writeHtmlReport),
};
