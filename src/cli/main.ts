#!/usr/bin/env node
import "./compile-cache";
import { printableLines } from "../report/untrusted";
import { type CommandModules, runCliWithAsync } from "./run-cli";
import { EXIT_OUTPUT_CLOSED, OutputClosedError, writeAllSync } from "./stdio";

/**
 * Each command's work, required when the command runs: `shipshape --help` loads none of it.
 * (`require` of this package's own compiled modules; the tests run `runCli`, which loads them
 * up front.)
 */
const modules: CommandModules = {
  audit: () => require("./commands/audit-run"),
  rules: () => require("./commands/rules-run"),
  daemonConfig: () => require("./commands/daemon-config-run"),
  check: () => require("./commands/check-run"),
  init: () => require("./commands/init-run"),
  scan: () => require("./scan-command"),
};

/** The `shipshape` command. */
async function main(): Promise<void> {
  let code: number;
  try {
    code = await runCliWithAsync(
      process.argv.slice(2),
      {
        stdout: (text) => writeAllSync(1, text),
        stderr: (text) => {
          try {
            // Messages quote names and forward programs' output: no escape sequence gets through.
            writeAllSync(2, printableLines(text));
          } catch (e) {
            if (!(e instanceof OutputClosedError)) throw e;
          }
        },
      },
      modules,
    );
  } catch (e) {
    if (e instanceof OutputClosedError) {
      // `shipshape … | head`: the reader has what it wanted; no stack trace, like other tools.
      // Exit as a tool killed by SIGPIPE does (128 + 13), so `set -o pipefail` still sees it.
      process.exitCode = EXIT_OUTPUT_CLOSED;
      return;
    }
    process.stderr.write(`shipshape: internal error: ${(e as Error).stack ?? String(e)}\n`);
    code = 2;
  }
  process.exitCode = code;
}

void main();
