import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { type CliIo, EXIT_CLEAN, EXIT_INPUT, parseSeconds } from "../io";
import { DEFAULT_PROGRAM_TIMEOUT_SECONDS, runProgramWorker } from "../program-worker";

interface RenderFlags {
  to: "compose" | "kubernetes";
  out: string;
  timeout: number;
}

/**
 * The render worker and how to start it: the compiled `.js` next to this file, or the `.ts`
 * source through tsx when shipshape runs from source.
 */
function workerCommand(): string[] {
  const js = join(__dirname, "..", "..", "render", "worker.js");
  if (existsSync(js)) return [js];
  return ["--import", "tsx", join(__dirname, "..", "..", "render", "worker.ts")];
}

/** `shipshape render <program-dir> --to compose|kubernetes --out <dir>`. */
export function registerRender(program: Command, io: CliIo, exit: (code: number) => void): void {
  program
    .command("render")
    .description(
      "Run a Pulumi program under the mock runtime and write what its shipshape components would create, as compose.yaml or Kubernetes YAML.",
    )
    .argument("<program-dir>", "directory of the Pulumi program (with Pulumi.yaml)")
    .addOption(
      new Option("--to <target>", "what to write").choices(["compose", "kubernetes"]).makeOptionMandatory(),
    )
    .requiredOption("--out <dir>", "directory to write into")
    .addOption(
      new Option("--timeout <seconds>", "stop a program that has not finished after this long")
        .argParser(parseSeconds)
        .default(DEFAULT_PROGRAM_TIMEOUT_SECONDS),
    )
    .action((dir: string, flags: RenderFlags) => {
      const result = runProgramWorker([...workerCommand(), dir, flags.to, flags.out], dir, flags.timeout);
      if (result.stdout) io.stdout(result.stdout);
      if (result.stderr) io.stderr(result.stderr);
      if (result.failure) {
        io.stderr(`error: ${result.failure}\n`);
        exit(EXIT_INPUT);
        return;
      }
      exit(result.status === 0 ? EXIT_CLEAN : EXIT_INPUT);
    });
}
