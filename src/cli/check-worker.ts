/**
 * The process `shipshape check` starts (a program registers resources asynchronously and leaves
 * global Pulumi state behind, so it runs apart from the CLI):
 *   check-worker <program-dir> <settings-json> <config-json> <result-file>
 * Writes the result as JSON into <result-file>, not on stdout: the program's own output (a
 * `console.log`) goes to stdout and must not be mixed into it. Exit 0 when the program ran,
 * 2 when it could not.
 */
import { writeFileSync } from "node:fs";
import type { SegmentedNetworksArgs } from "../components/segmented-networks/args";
import { planSegments } from "../components/segmented-networks/spec";
import { checkProgram } from "../policy/check";
import { runWorker } from "../program/worker-process";

async function main(argv: string[]): Promise<number> {
  const [dir, settings = "{}", config = "{}", resultFile] = argv;
  if (!dir || !resultFile) {
    process.stderr.write("usage: check-worker <program-dir> <settings-json> <config-json> <result-file>\n");
    return 2;
  }
  try {
    const result = await checkProgram(dir, { settings: JSON.parse(settings), config: JSON.parse(config) });
    writeFileSync(
      resultFile,
      JSON.stringify({
        violations: result.violations,
        resources: result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn })),
        remediated: [...result.remediated.keys()],
        // Planned here, where the components are loaded anyway: the CLI then needs none of them.
        topologies: result.resources
          .filter((r) => r.type === "shipshape:index:SegmentedNetworks")
          .map((r) => planSegments(r.name, r.props as unknown as SegmentedNetworksArgs).topology),
      }),
    );
    return 0;
  } catch (e) {
    process.stderr.write(
      `error: ${dir}: the program cannot run under the mock runtime: ${(e as Error).message}\n`,
    );
    return 2;
  }
}

runWorker(main);
