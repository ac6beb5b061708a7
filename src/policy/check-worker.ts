/**
 * The process `shipshape check` starts (a program registers resources asynchronously and leaves
 * global Pulumi state behind, so it runs apart from the CLI):
 *   check-worker <program-dir> <settings-json> <config-json>
 * Prints the result as JSON on stdout; exit 0 when the program ran, 2 when it could not.
 */
import { runWorker } from "../program/worker-process";
import { checkProgram } from "./check";

async function main(argv: string[]): Promise<number> {
  const [dir, settings = "{}", config = "{}"] = argv;
  if (!dir) {
    process.stderr.write("usage: check-worker <program-dir> [settings-json] [config-json]\n");
    return 2;
  }
  try {
    const result = await checkProgram(dir, { settings: JSON.parse(settings), config: JSON.parse(config) });
    process.stdout.write(
      JSON.stringify({
        violations: result.violations,
        resources: result.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn })),
        remediated: [...result.remediated.keys()],
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
