import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { type CliIo, EXIT_CLEAN, EXIT_INPUT } from "../io";

interface RenderFlags {
  to: "compose" | "kubernetes";
  out: string;
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
    .action((dir: string, flags: RenderFlags) => {
      // The program runs in its own process: it registers resources asynchronously, and its
      // global Pulumi state must not leak into this one.
      const result = spawnSync(process.execPath, [...workerCommand(), dir, flags.to, flags.out], {
        encoding: "utf8",
        env: { ...process.env, PULUMI_NODEJS_SKIP_PLUGIN_INSTALL: "true" },
      });
      if (result.stdout) io.stdout(result.stdout);
      if (result.stderr) io.stderr(result.stderr);
      if (result.error) {
        io.stderr(`error: cannot start the render worker: ${result.error.message}\n`);
        exit(EXIT_INPUT);
        return;
      }
      exit(result.status === 0 ? EXIT_CLEAN : EXIT_INPUT);
    });
}
