// Preloaded into the CLI process by bench/run.ts (`node --require`): on exit, prints the
// process's peak resident memory and CPU time on one line of standard error.
// The main thread only: a worker thread that ends on its own would print the process's figures
// of that moment too (both are the process's, not the thread's), before the audit is over.
if (require("node:worker_threads").isMainThread)
  process.on("exit", () => {
    const usage = process.resourceUsage();
    process.stderr.write(
      `\nSHIPSHAPE_BENCH ${JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime })}\n`,
    );
  });
