/**
 * Runs one backup or restore in a child process for synchronous callers (the CLI): the request
 * as JSON on stdin (identities included: never in argv or the environment), the outcome as
 * JSON on stdout.
 */
import { readFileSync } from "node:fs";
import { createBackup } from "./backup";
import { restoreBackup } from "./restore";
import type { VolumeOutcome, VolumeRequest } from "./sync";

async function main(): Promise<void> {
  const request = JSON.parse(readFileSync(0, "utf8")) as VolumeRequest;
  let outcome: VolumeOutcome;
  try {
    if (request.op === "backup") {
      const { op: _op, ...options } = request;
      outcome = { ok: true, op: "backup", result: await createBackup(options) };
    } else {
      const options = request.owner ? { owner: request.owner } : {};
      outcome = {
        ok: true,
        op: "restore",
        result: await restoreBackup(request.manifestPath, request.identities, request.target, options),
      };
    }
  } catch (error) {
    outcome = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  process.stdout.write(JSON.stringify(outcome));
  process.exit(0);
}

void main();
