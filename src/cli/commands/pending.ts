import { type CliIo, EXIT_INPUT, UsageError } from "../io";

/** Where an asynchronous command's result goes: the entry point awaits it for the exit code. */
export type PendingActions = Promise<number>[];

/**
 * Runs an asynchronous action of `command`: its result joins `pending`; a usage error, or an
 * error `expected` recognises (a registry that is down, a store that cannot be read), becomes
 * exit 2 with its message; anything else is a bug and is thrown.
 */
export function runPending(
  command: string,
  io: CliIo,
  pending: PendingActions | undefined,
  action: () => Promise<number>,
  expected: (e: unknown) => Promise<boolean>,
): void {
  if (!pending) throw new UsageError(`${command} runs asynchronously; call it through the shipshape command`);
  pending.push(
    action().catch(async (e: unknown) => {
      if (e instanceof UsageError || (await expected(e))) {
        io.stderr(`error: ${(e as Error).message}\n`);
        return EXIT_INPUT;
      }
      throw e;
    }),
  );
}
