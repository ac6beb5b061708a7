/**
 * The process `shipshape graph <program-dir>` starts: runs the user's program under Pulumi mocks
 * (as `shipshape render` does) and prints the topology of every SegmentedNetworks it declares,
 * as JSON on stdout. Exit 0 on success, 2 on an error in the program or its args.
 *   worker <program-dir>
 */

import type { SegmentedNetworksArgs } from "../components/segmented-networks/args";
import { planSegments, SegmentedNetworksArgsError } from "../components/segmented-networks/spec";
import { runProgram } from "../program/run-program";
import { runWorker } from "../program/worker-process";

async function main(argv: string[]): Promise<number> {
  const [dir] = argv;
  if (!dir) {
    process.stderr.write("usage: worker <program-dir>\n");
    return 2;
  }
  try {
    const resources = await runProgram(dir, { project: "graph", stack: "graph" });
    const topologies = resources
      .filter((r) => r.type === "shipshape:index:SegmentedNetworks")
      .map((r) => planSegments(r.name, r.inputs as unknown as SegmentedNetworksArgs).topology);
    process.stdout.write(`${JSON.stringify({ topologies })}\n`);
    return 0;
  } catch (e) {
    if (e instanceof SegmentedNetworksArgsError) {
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
