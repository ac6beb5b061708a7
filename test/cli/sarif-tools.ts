import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Log } from "sarif";

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

/**
 * Runs Microsoft's validator over `log` (written to `dir` without `$schema`, which it would try
 * to fetch) and returns its log and the problems it found beyond the accepted warnings.
 */
export async function multitoolProblems(
  log: Log,
  dir: string,
  name: string,
): Promise<{ validation: Log; problems: string[] }> {
  const { $schema: _schema, ...rest } = log;
  const input = join(dir, `${name}.sarif`);
  const output = join(dir, `${name}-validation.sarif`);
  writeFileSync(input, JSON.stringify(rest, null, 2));
  await promisify(execFile)(
    multitool().binary,
    ["validate", input, "--output", output, "--log", "ForceOverwrite", "--quiet"],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const validation = JSON.parse(readFileSync(output, "utf8")) as Log;
  const problems = (validation.runs[0]?.results ?? [])
    .filter(
      (r) =>
        r.level === "error" ||
        ((r.level ?? "warning") === "warning" && !ACCEPTED_WARNINGS.has(r.ruleId ?? "")),
    )
    .map((r) => `${r.ruleId}: ${JSON.stringify(r.message)}`);
  return { validation, problems };
}
