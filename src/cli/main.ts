#!/usr/bin/env node
import { runCli } from "./program";

/** The `shipshape` command. */
function main(): void {
  let code: number;
  try {
    code = runCli(process.argv.slice(2), {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    });
  } catch (e) {
    process.stderr.write(`shipshape: internal error: ${(e as Error).stack ?? String(e)}\n`);
    code = 2;
  }
  process.exitCode = code;
}

main();
