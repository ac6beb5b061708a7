// Preloaded into the CLI process by bench/run.ts (`node --require`): on exit, prints the
// process's peak resident memory and CPU time on one line of standard error, and how much of
// that CPU time the main thread and V8's own helper threads spent.
// The main thread only: a worker thread that ends on its own would print the process's figures
// of that moment too (both are the process's, not the thread's), before the audit is over.
const { readFileSync, readdirSync } = require("node:fs");

/**
 * CPU time of the threads V8 runs its background tasks on (named "V8Worker" on Linux: the
 * optimizing compilers, concurrent marking and sweeping, parallel scavenging), in microseconds;
 * undefined where /proc does not list threads. They live until the process exits, unlike the
 * audit's worker threads, whose time is what remains of the process's.
 */
function v8HelperCpuMicros() {
  let tasks;
  try {
    tasks = readdirSync("/proc/self/task");
  } catch {
    return undefined;
  }
  const ticksPerSecond = 100; // USER_HZ, 100 on every Linux architecture Node supports
  let micros = 0;
  for (const task of tasks) {
    let stat;
    try {
      stat = readFileSync(`/proc/self/task/${task}/stat`, "utf8");
    } catch {
      continue; // the thread ended while we listed
    }
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    if (name !== "V8Worker") continue;
    // Fields after the name: state is the 3rd of stat, utime the 14th and stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    micros += ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond;
  }
  return micros;
}

if (require("node:worker_threads").isMainThread)
  process.on("exit", () => {
    const usage = process.resourceUsage();
    const figures = { maxRssKiB: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime };
    if (typeof process.threadCpuUsage === "function") {
      const main = process.threadCpuUsage();
      figures.mainThreadCpuMicros = main.user + main.system;
    }
    const helpers = v8HelperCpuMicros();
    if (helpers !== undefined) figures.v8HelperCpuMicros = helpers;
    process.stderr.write(`\nSHIPSHAPE_BENCH ${JSON.stringify(figures)}\n`);
  });
