import { Command, CommanderError } from "commander";
import { toolVersion } from "../report/tool";
import { registerAudit } from "./commands/audit";
import { registerCheck } from "./commands/check";
import { registerDaemonConfig } from "./commands/daemon-config";
import { registerInit } from "./commands/init";
import { registerRender } from "./commands/render";
import { registerRules } from "./commands/rules";
import { registerScan } from "./commands/scan";
import { type PendingActions, registerSecrets } from "./commands/secrets";
import { registerVolume } from "./commands/volume";
import { type CliIo, EXIT_INPUT, UsageError } from "./io";

/**
 * Runs the command line `argv` (without the node and script names) and returns the exit code.
 * Never calls `process.exit`, so tests can run it in-process. Asynchronous commands
 * (`secrets …`) put their result in `pending`; `runCliAsync` awaits it.
 */
export function runCli(argv: readonly string[], io: CliIo, pending?: PendingActions): number {
  let code = 0;
  const program = new Command("shipshape")
    .description("Audit Docker and Kubernetes configuration with one rule set.")
    .version(toolVersion())
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const exit = (c: number) => {
    code = c;
  };
  registerAudit(program, io, exit);
  registerRules(program, io, exit);
  registerDaemonConfig(program, io, exit);
  registerRender(program, io, exit);
  registerCheck(program, io, exit);
  registerInit(program, io, exit);
  registerScan(program, io, exit);
  registerSecrets(program, io, pending);
  registerVolume(program, io, exit);
  for (const sub of program.commands)
    sub.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    program.parse(argv as string[], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every usage error is exit 2 (1 means "findings").
      return e.exitCode === 0 ? 0 : EXIT_INPUT;
    }
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n`);
      return EXIT_INPUT;
    }
    throw e;
  }
  return code;
}

/** `runCli` for every command, the asynchronous ones (`secrets …`) included: resolves to the exit code. */
export async function runCliAsync(argv: readonly string[], io: CliIo): Promise<number> {
  const pending: PendingActions = [];
  const code = runCli(argv, io, pending);
  if (pending.length === 0) return code;
  let last = code;
  for (const p of pending) last = await p;
  return last;
}
