import { InvalidArgumentError } from "commander";

/** Where a command writes; the real process passes its streams, tests pass buffers. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const EXIT_CLEAN = 0;
/** Findings at or above the threshold. */
export const EXIT_FINDINGS = 1;
/** Unreadable or invalid input, or a bad command line. */
export const EXIT_INPUT = 2;

/** A usage error: printed with the command's name, exits 2. */
export class UsageError extends Error {}

/** Splits repeatable, comma-separated option values: `--rule a,b --rule c` → a, b, c. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** Commander parser of a `--timeout <seconds>` value: a positive number. */
export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError(
      `"${value}" is not a number of seconds; give a positive number such as 30`,
    );
  }
  return seconds;
}

/** The most worker threads `--jobs` starts. */
export const MAX_JOBS = 256;

/** Commander parser of a `--jobs <n>` value: a whole number of threads, 1 to `MAX_JOBS`. */
export function parseJobs(value: string): number {
  const jobs = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(jobs) || jobs < 1 || jobs > MAX_JOBS) {
    throw new InvalidArgumentError(
      `"${value}" is not a number of threads; give a whole number from 1 to ${MAX_JOBS}, such as 2 (1 audits in one thread)`,
    );
  }
  return jobs;
}

/** Commander parser of a `--worker-heap <MiB>` value: a whole number of MiB, 16 or more. */
export function parseHeapMiB(value: string): number {
  const mib = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(mib) || mib < 16) {
    throw new InvalidArgumentError(
      `"${value}" is not a heap size; give a whole number of MiB, 16 or more, such as 512`,
    );
  }
  return mib;
}
