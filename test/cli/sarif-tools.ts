import { join } from "node:path";

/**
 * Microsoft's SARIF multitool (npm `@microsoft/sarif-multitool`, a dev dependency) ships the
 * validator binary and the official SARIF 2.1.0 JSON schema in its Linux platform package.
 */
export function multitool(): { binary: string; schema: string } {
  let binary: string;
  try {
    binary = require("@microsoft/sarif-multitool-linux") as string;
  } catch {
    throw new Error("the SARIF multitool is missing: run `npm ci` (it is a dev dependency of shipshape)");
  }
  return { binary, schema: join(binary, "..", "sarif-2.1.0.json") };
}

/** Warnings the multitool may give that are about facts of the project, not the format. */
export const ACCEPTED_WARNINGS = new Set([
  // The tool has no public home page yet (driver.informationUri).
  "SARIF2005",
  // The test strips `$schema`, because with it the validator tries to fetch the schema's URL.
  "SARIF2008",
]);
