/**
 * The command tree of `shipshape`: options, help and dispatch. It loads no command's work (see
 * `CommandModules`), so help costs what commander and the option lists cost.
 */
import { Command, CommanderError } from "commander";
import { toolVersion } from "../report/tool";
import { registerAlerts } from "./commands/alerts";
import { registerAnalyze } from "./commands/analyze";
import { registerAudit } from "./commands/audit";
import { registerCheck } from "./commands/check";
import { registerDaemonConfig } from "./commands/daemon-config";
import { registerDashboard } from "./commands/dashboard";
import { registerGraph } from "./commands/graph";
import { registerImage } from "./commands/image";
import { registerInit } from "./commands/init";
import { registerNetcheck } from "./commands/netcheck";
import { registerProfile } from "./commands/profile";
import { registerRegistry } from "./commands/registry";
import { registerRender } from "./commands/render";
import { registerRules } from "./commands/rules";
import { registerScan } from "./commands/scan";
import { type PendingActions, registerSecrets } from "./commands/secrets";
import { registerVolume } from "./commands/volume";
import { registerWatch } from "./commands/watch";
import { type CliIo, EXIT_INPUT, UsageError } from "./io";

/**
 * The modules that do each command's work, loaded when the command runs: the CLI's entry point
 * requires them on demand, so that `--help`, `--version` and usage errors load none of the
 * engine; `runCli` (tests, programmatic use) hands over modules already loaded.
 */
export interface CommandModules {
  audit(): typeof import("./commands/audit-run");
  rules(): typeof import("./commands/rules-run");
  daemonConfig(): typeof import("./commands/daemon-config-run");
  check(): typeof import("./commands/check-run");
  init(): typeof import("./commands/init-run");
  scan(): typeof import("./scan-command");
}

/**
 * Runs the command line `argv` (without the node and script names) with `modules` doing the
 * commands' work, and returns the exit code. Never calls `process.exit`. Asynchronous commands
 * (`secrets …`) put their result in `pending`; `runCliWithAsync` awaits it.
 */
export function runCliWith(
  argv: readonly string[],
  io: CliIo,
  modules: CommandModules,
  pending?: PendingActions,
): number {
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
  registerAudit(program, io, exit, modules.audit);
  registerRules(program, io, exit, modules.rules);
  registerDaemonConfig(program, io, exit, modules.daemonConfig);
  registerRender(program, io, exit);
  registerCheck(program, io, exit, modules.check);
  registerInit(program, io, exit, modules.init);
  registerScan(program, io, exit, modules.scan);
  registerSecrets(program, io, pending);
  registerImage(program, io, pending);
  registerRegistry(program, io, pending);
  registerVolume(program, io, exit, pending);
  registerWatch(program, io, pending);
  registerNetcheck(program, io, pending);
  registerGraph(program, io, pending);
  registerAlerts(program, io, pending);
  registerProfile(program, io, pending);
  registerAnalyze(program, io, pending);
  registerDashboard(program, io, pending);
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

/** `runCliWith` for every command, the asynchronous ones (`secrets …`) included: resolves to the exit code. */
export async function runCliWithAsync(
  argv: readonly string[],
  io: CliIo,
  modules: CommandModules,
): Promise<number> {
  const pending: PendingActions = [];
  const code = runCliWith(argv, io, modules, pending);
  let last = code;
  for (const p of pending) last = await p;
  return last;
}
