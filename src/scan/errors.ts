/** Why a scan could not produce a result: each has its own message and fix, and none reads as "0 vulnerabilities". */
export enum ScanFailure {
  ScannerMissing = "scanner-missing",
  ScannerFailed = "scanner-failed",
  Timeout = "timeout",
  DatabaseMissing = "database-missing",
  DatabaseUnreadable = "database-unreadable",
  ImageNotFound = "image-not-found",
  EngineUnreachable = "engine-unreachable",
  NothingToScan = "nothing-to-scan",
}

export class ScanError extends Error {
  readonly failure: ScanFailure;
  constructor(failure: ScanFailure, message: string) {
    super(message);
    this.name = "ScanError";
    this.failure = failure;
  }
}
