import * as audit from "./commands/audit-run";
import * as check from "./commands/check-run";
import * as daemonConfig from "./commands/daemon-config-run";
import * as init from "./commands/init-run";
import * as rules from "./commands/rules-run";
import type { PendingActions } from "./commands/secrets";
import type { CliIo } from "./io";
import { type CommandModules, runCliWith, runCliWithAsync } from "./run-cli";
import * as scan from "./scan-command";

/**
 * Runs the command line `argv` (without the node and script names) and returns the exit code,
 * with every command's module loaded up front. Never calls `process.exit`, so tests can run it
 * in-process.
 */
const LOADED: CommandModules = {
  audit: () => audit,
  rules: () => rules,
  daemonConfig: () => daemonConfig,
  check: () => check,
  init: () => init,
  scan: () => scan,
};

export function runCli(argv: readonly string[], io: CliIo, pending?: PendingActions): number {
  return runCliWith(argv, io, LOADED, pending);
}

/** `runCli` for every command, the asynchronous ones (`secrets …`) included: resolves to the exit code. */
export function runCliAsync(argv: readonly string[], io: CliIo): Promise<number> {
  return runCliWithAsync(argv, io, LOADED);
}
