import { execFileSync } from "node:child_process";
import { nodeArgsFor, packageModulePath } from "../program/module-path";
import type { BackupOptions, BackupResult } from "./backup";
import type { RestoreResult } from "./restore";

export type VolumeRequest =
  | ({ op: "backup" } & Omit<BackupOptions, "now">)
  | {
      op: "restore";
      manifestPath: string;
      identities: string[];
      target: string;
      owner?: { uid: number; gid: number };
    };

export type VolumeOutcome =
  | { ok: true; op: "backup"; result: BackupResult }
  | { ok: true; op: "restore"; result: RestoreResult }
  | { ok: false; message: string };

/**
 * A backup or restore for synchronous callers: age encrypts asynchronously (WebCrypto), so the
 * work runs in a child node process and this call waits for it. The request (identities
 * included) goes over the child's stdin. Throws with the worker's message on failure.
 */
export function runVolumeSync(request: VolumeRequest): Extract<VolumeOutcome, { ok: true }> {
  const worker = packageModulePath(__dirname, "sync-worker");
  const stdout = execFileSync(process.execPath, [...nodeArgsFor(worker), worker], {
    input: JSON.stringify(request),
    maxBuffer: 256 * 1024 * 1024,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const outcome = JSON.parse(stdout.toString("utf8")) as VolumeOutcome;
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome;
}
