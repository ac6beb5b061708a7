/**
 * Runs the `main` of a worker process (the CLI starts workers for work that is asynchronous or
 * leaves global state behind) and turns its result into the exit code; a crash is exit 2.
 * The worker exits as soon as `main` is done: a user's program may leave timers or sockets
 * open, which would otherwise keep it alive until the CLI's timeout.
 */
export function runWorker(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exit(code);
    },
    (e) => {
      process.stderr.write(`${String(e)}\n`);
      process.exit(2);
    },
  );
}
