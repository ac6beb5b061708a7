import * as audit from "./commands/audit-run";
import * as check from "./commands/check-run";
import * as daemonConfig from "./commands/daemon-config-run";
import * as init from "./commands/init-run";
import * as rules from "./commands/rules-run";
import type { CliIo } from "./io";
import { runCliWith } from "./run-cli";

/**
 * Runs the command line `argv` (without the node and script names) and returns the exit code,
 * with every command's module loaded up front. Never calls `process.exit`, so tests can run it
 * in-process.
 */
export function runCli(argv: readonly string[], io: CliIo): number {
  return runCliWith(argv, io, {
    audit: () => audit,
    rules: () => rules,
    daemonConfig: () => daemonConfig,
    check: () => check,
    init: () => init,
  });
}
