/**
 * The process `shipshape render` starts: runs the user's program under Pulumi mocks (kept out of
 * the CLI's own process, whose command line is synchronous) and writes the rendering.
 *   worker <program-dir> <compose|kubernetes> <out-dir>
 * Exit 0 on success, 2 on an error in the program or its args.
 */

import { SecureServiceArgsError } from "../components/secure-service/spec";
import { runWorker } from "../program/worker-process";
import { RenderError, RenderTarget, renderProgram } from "./render";

async function main(argv: string[]): Promise<number> {
  const [dir, target, out] = argv;
  if (!dir || !out || (target !== RenderTarget.Compose && target !== RenderTarget.Kubernetes)) {
    process.stderr.write("usage: worker <program-dir> <compose|kubernetes> <out-dir>\n");
    return 2;
  }
  try {
    const result = await renderProgram(dir, target, out);
    for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
    for (const path of result.written) process.stdout.write(`wrote ${path}\n`);
    return 0;
  } catch (e) {
    if (e instanceof SecureServiceArgsError || e instanceof RenderError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(
      `error: the program failed under the mock runtime: ${(e as Error).stack ?? String(e)}\n`,
    );
    return 2;
  }
}

runWorker(main);
