import { jsonReport } from "./json";
import { junitReport } from "./junit";
import { markdownReport } from "./markdown";
import type { Reporter } from "./report";
import { sarifReport } from "./sarif";
import { textReport } from "./text";

export const REPORT_FORMATS = ["text", "json", "markdown", "sarif", "junit"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORTERS: Record<ReportFormat, Reporter> = {
  text: textReport,
  json: jsonReport,
  markdown: markdownReport,
  sarif: sarifReport,
  junit: junitReport,
};
