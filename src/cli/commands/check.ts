import { type Command, Option } from "commander";
import { REPORT_FORMATS, type ReportFormat } from "../../report/formats";
import { type CliIo, parseSeconds } from "../io";
import { DEFAULT_PROGRAM_TIMEOUT_SECONDS } from "../program-worker";

export interface CheckFlags {
  format: ReportFormat;
  settings?: string;
  policyConfig?: string;
  output?: string;
  timeout: number;
}

/** `shipshape check <program-dir>`: the policy pack on a program under the mock runtime. */
export function registerCheck(
  program: Command,
  io: CliIo,
  exit: (code: number) => void,
  load: () => typeof import("./check-run"),
): void {
  program
    .command("check")
    .description(
      "Run a Pulumi TypeScript program under the mock runtime and evaluate the shipshape policy pack on what it registers: an offline gate with no Pulumi CLI or credentials.",
    )
    .argument("<program-dir>", "directory of the Pulumi program (with Pulumi.yaml)")
    .addOption(new Option("-f, --format <format>", "output format").choices(REPORT_FORMATS).default("text"))
    .option(
      "--settings <file>",
      "pack settings JSON (profile, minSeverity, levels, allowedRegistries, imageEvidenceTypes, verifiedImages, exemptions)",
    )
    .option("--policy-config <file>", "per-policy config JSON, as for `pulumi preview --policy-pack-config`")
    .option("-o, --output <file>", "write the report to this file instead of standard output")
    .addOption(
      new Option("--timeout <seconds>", "stop a program that has not finished after this long")
        .argParser(parseSeconds)
        .default(DEFAULT_PROGRAM_TIMEOUT_SECONDS),
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 no mandatory violation, 1 a mandatory violation, 2 the program cannot run or a bad option.",
    )
    .action((dir: string, flags: CheckFlags) => load().checkAction(dir, flags, io, exit));
}
