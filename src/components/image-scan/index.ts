export * from "./args";
export * from "./component";
export type { ScanSummary, ScanSummaryEntry } from "./types";
