import { join } from "node:path";
import { BUILT_CLI, type CliResult, ROOT, runProcess } from "../cli/helpers";

/** What one hostile case may cost at most; a case over either bound fails. */
export interface Bound {
  seconds: number;
  memoryMiB: number;
}

export interface BoundedResult extends CliResult {
  seconds: number;
  peakMiB: number;
}

/** The probe the benchmark preloads: it prints the process's peak memory on exit. */
const RSS_PROBE = join(ROOT, "bench", "rss-probe.cjs");
const PROBE_LINE = /\n?SHIPSHAPE_BENCH (\{.*\})\n?$/;

/**
 * Runs the built CLI as a process and enforces `bound`: it is killed when over its time, and
 * its peak resident memory (measured by the process itself on exit) is checked afterwards.
 * Throws, failing the case, when either bound is exceeded.
 */
export async function cliBounded(args: string[], cwd: string, bound: Bound): Promise<BoundedResult> {
  const started = process.hrtime.bigint();
  const run = await runProcess(process.execPath, ["--require", RSS_PROBE, BUILT_CLI, ...args], {
    cwd,
    timeoutMs: bound.seconds * 1000,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.timedOut)
    throw new Error(
      `over its time bound: still running after ${bound.seconds} s (shipshape ${args.join(" ")})`,
    );
  const probe = PROBE_LINE.exec(run.stderr);
  if (!probe)
    throw new Error(
      `the process printed no peak memory (exit ${run.code}); stderr: ${run.stderr.slice(-2000)}`,
    );
  const peakMiB = (JSON.parse(probe[1] as string) as { maxRssKiB: number }).maxRssKiB / 1024;
  if (peakMiB > bound.memoryMiB)
    throw new Error(`over its memory bound: peak ${peakMiB.toFixed(0)} MiB > ${bound.memoryMiB} MiB`);
  return { code: run.code, stdout: run.stdout, stderr: run.stderr.replace(PROBE_LINE, ""), seconds, peakMiB };
}

/**
 * Runs `work` in this process and enforces `bound` on its time and on the growth of the heap
 * (sampled by `sample`, which `work` calls as it goes). Throws when either is exceeded.
 */
export async function inProcessBounded<T>(
  bound: Bound,
  work: (sample: () => void) => T | Promise<T>,
): Promise<T> {
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const sample = () => {
    const used = process.memoryUsage().heapUsed;
    if (used > peak) peak = used;
  };
  const started = Date.now();
  const result = await work(sample);
  sample();
  const seconds = (Date.now() - started) / 1000;
  const grownMiB = (peak - base) / 1024 / 1024;
  if (seconds > bound.seconds)
    throw new Error(`over its time bound: ${seconds.toFixed(1)} s > ${bound.seconds} s`);
  if (grownMiB > bound.memoryMiB)
    throw new Error(
      `over its memory bound: the heap grew ${grownMiB.toFixed(0)} MiB > ${bound.memoryMiB} MiB`,
    );
  return result;
}
