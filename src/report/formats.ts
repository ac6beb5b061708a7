/** The report formats, in the order help lists them (no writer is loaded by naming them). */
export const REPORT_FORMATS = ["text", "json", "markdown", "sarif", "junit", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
