import { type Command, Option } from "commander";
import { InitPlatform, InitType } from "../../init/kinds";
import type { CliIo } from "../io";

export interface InitFlags {
  type: InitType;
  platform: InitPlatform;
}

/** `shipshape init [dir] [--type web|worker|database] [--platform docker|kubernetes]`. */
export function registerInit(
  program: Command,
  io: CliIo,
  exit: (code: number) => void,
  load: () => typeof import("./init-run"),
): void {
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
    .action((dir: string, flags: InitFlags) => load().initAction(dir, flags, io, exit));
}
