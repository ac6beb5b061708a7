// Preloaded into the CLI process by bench/run.ts (`node --require`): on exit, prints the
// process's peak resident memory and CPU time on one line of standard error.
process.on("exit", () => {
  const usage = process.resourceUsage();
  process.stderr.write(
    `\nSHIPSHAPE_BENCH ${JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime })}\n`,
  );
});
