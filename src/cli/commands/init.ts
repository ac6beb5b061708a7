import { type Command, Option } from "commander";
import { InitConflictError, InitPlatform, InitType, initProject } from "../../init";
import { type CliIo, EXIT_CLEAN, EXIT_INPUT } from "../io";

interface InitFlags {
  type: InitType;
  platform: InitPlatform;
}

/** `shipshape init [dir] [--type web|worker|database] [--platform docker|kubernetes]`. */
export function registerInit(program: Command, io: CliIo, exit: (code: number) => void): void {
  program
    .command("init")
    .description(
      "Write a hardened starting point: a multi-stage Dockerfile, a compose.yaml and a Pulumi program using SecureService, each of which audits clean.",
    )
    .argument("[dir]", "directory to write into (created when missing)", ".")
    .addOption(
      new Option("--type <type>", "kind of service").choices(Object.values(InitType)).default(InitType.Web),
    )
    .addOption(
      new Option("--platform <platform>", "where the Pulumi program deploys it")
        .choices(Object.values(InitPlatform))
        .default(InitPlatform.Docker),
    )
    .action((dir: string, flags: InitFlags) => {
      try {
        for (const path of initProject(dir, { type: flags.type, platform: flags.platform }))
          io.stdout(`wrote ${path}\n`);
        exit(EXIT_CLEAN);
      } catch (e) {
        if (!(e instanceof InitConflictError) && !(e as NodeJS.ErrnoException).code) throw e;
        io.stderr(`error: ${(e as Error).message}\n`);
        exit(EXIT_INPUT);
      }
    });
}
