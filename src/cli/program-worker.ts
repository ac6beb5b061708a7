import { spawnSync } from "node:child_process";

/** How long `check` and `render` let a program run by default. */
export const DEFAULT_PROGRAM_TIMEOUT_SECONDS = 120;

export interface ProgramRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Why the worker could not be run or was stopped, as a message for the user. */
  failure?: string;
}

/**
 * Runs a worker process on a user's program (argument array, no shell) and stops it after
 * `timeoutSeconds`: a program that waits forever or loops is killed and reported, never waited
 * on. The program registers resources asynchronously, and its global Pulumi state must not leak
 * into the CLI's process, hence the separate process.
 */
export function runProgramWorker(
  command: string[],
  programDir: string,
  timeoutSeconds: number,
  timeoutOption = "--timeout",
): ProgramRun {
  const result = spawnSync(process.execPath, command, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
    timeout: timeoutSeconds * 1000,
    killSignal: "SIGKILL",
    env: { ...process.env, PULUMI_NODEJS_SKIP_PLUGIN_INSTALL: "true" },
  });
  const run: ProgramRun = { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
  const code = (result.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ETIMEDOUT") {
    run.failure = `${programDir}: the program did not finish within ${timeoutSeconds} s (it may wait forever or loop); fix it, or raise ${timeoutOption}`;
  } else if (result.error) {
    run.failure = `cannot run the program's worker: ${result.error.message}`;
  }
  return run;
}
