import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ScanError, ScanFailure } from "./errors";

/** The vulnerability database a trivy cache directory holds. */
export interface DatabaseInfo {
  /** When it was built (metadata.json's UpdatedAt). */
  updatedAt: string;
  /** Its schema version (trivy v0.74 reads version 2). */
  version: number;
  path: string;
}

const FIX =
  "run scripts/setup.sh (it builds the offline DB from vulndb/osv), or point cacheDir / --cache-dir at a trivy cache that holds db/trivy.db";

/** Reads `<cacheDir>/db/metadata.json` and checks that `trivy.db` is there; fails closed otherwise. */
export function readDatabaseInfo(cacheDir: string): DatabaseInfo {
  const dir = join(cacheDir, "db");
  const db = join(dir, "trivy.db");
  let size: number;
  try {
    size = statSync(db).size;
  } catch {
    throw new ScanError(
      ScanFailure.DatabaseMissing,
      `the vulnerability database ${db} does not exist: ${FIX}`,
    );
  }
  if (size === 0) {
    throw new ScanError(ScanFailure.DatabaseUnreadable, `the vulnerability database ${db} is empty: ${FIX}`);
  }
  let meta: unknown;
  try {
    meta = JSON.parse(readFileSync(join(dir, "metadata.json"), "utf8"));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "is missing" : "is not JSON";
    throw new ScanError(
      ScanFailure.DatabaseUnreadable,
      `the vulnerability database's ${join(dir, "metadata.json")} ${why}: ${FIX}`,
    );
  }
  const m = meta as { UpdatedAt?: unknown; Version?: unknown };
  if (
    typeof m.UpdatedAt !== "string" ||
    Number.isNaN(Date.parse(m.UpdatedAt)) ||
    typeof m.Version !== "number"
  ) {
    throw new ScanError(
      ScanFailure.DatabaseUnreadable,
      `the vulnerability database's ${join(dir, "metadata.json")} has no UpdatedAt date or Version: ${FIX}`,
    );
  }
  return { updatedAt: m.UpdatedAt, version: m.Version, path: db };
}
