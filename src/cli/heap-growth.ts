import { setFlagsFromString } from "node:v8";

let bounded = false;

/**
 * Makes V8 trade a little CPU for a heap that follows what the audit holds, for the rest of
 * the process (and the worker threads it starts): the young generation stays at its first size
 * instead of doubling up to 64 MiB per semi-space (a file's objects die young either way), and
 * the old generation grows by a share of what survived a collection instead of V8's default
 * factor. Both flags are read each time V8 resizes a space, so they apply when set after
 * start-up. The share, measured through the CLI (`npm run bench -- --scale`, and paired runs):
 * - several threads: half. Each thread's heap grows, and the process's peak is their sum: at
 *   20,000 manifests with --jobs 2, 265–273 MiB at a half, 281–298 at three quarters, 303–306 at
 *   the whole (V8's default: 650 MiB).
 * - one thread (`oneThread`): the whole. At 20,000 manifests, 206 MiB against 189 at a half,
 *   for 7 % less CPU (fewer full collections); at 10,000, about 5 % less (paired runs).
 */
export function boundHeapGrowth(oneThread: boolean): void {
  if (bounded) return;
  bounded = true;
  setFlagsFromString("--semi-space-growth-factor=1");
  setFlagsFromString(`--heap-growing-percent=${oneThread ? 100 : 50}`);
  // With a worker thread per core, every core already runs an audit: a young-generation
  // collection split into parallel tasks only waits for cores that are busy. One task each:
  // --jobs 2 on 10,000 manifests, paired: 6 % less wall time, 4 % less CPU, 9 MiB less peak. Set
  // before any worker's heap exists; V8 reads it as each collection starts.
  if (!oneThread) setFlagsFromString("--no-parallel-scavenge");
}
