import { Command, CommanderError } from "commander";
import { toolVersion } from "../report/tool";
import { registerAudit } from "./commands/audit";
import { registerCheck } from "./commands/check";
import { registerDaemonConfig } from "./commands/daemon-config";
import { registerInit } from "./commands/init";
import { registerRender } from "./commands/render";
import { registerRules } from "./commands/rules";
import { registerVolume } from "./commands/volume";
import { type CliIo, EXIT_INPUT, UsageError } from "./io";

/**
 * Runs the command line `argv` (without the node and script names) and returns the exit code.
 * Never calls `process.exit`, so tests can run it in-process.
 */
export function runCli(argv: readonly string[], io: CliIo): number {
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
