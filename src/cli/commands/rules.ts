import { type Command, Option } from "commander";
import { PROFILES, type ProfileId } from "../../engine/profiles";
import type { CliIo } from "../io";

export interface RulesFlags {
  format: "text" | "json" | "markdown";
  profile?: ProfileId;
}

/** `shipshape rules`: lists the rule catalog. */
export function registerRules(
  program: Command,
  io: CliIo,
  exit: (code: number) => void,
  load: () => typeof import("./rules-run"),
): void {
  program
    .command("rules")
    .description("List the rules shipshape checks.")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "json", "markdown"])
        .default("text"),
    )
    .addOption(new Option("-p, --profile <profile>", "only the rules of this profile").choices(PROFILES))
    .action((flags: RulesFlags) => load().rulesAction(flags, io, exit));
}
