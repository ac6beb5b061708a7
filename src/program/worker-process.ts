/**
 * Runs the `main` of a worker process (the CLI starts workers for work that is asynchronous or
 * leaves global state behind) and turns its result into the exit code; a crash is exit 2.
 */
export function runWorker(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
