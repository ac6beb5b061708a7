import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Command, Option } from "commander";
import type { Finding } from "../../engine/finding";
import type { HarnessViolation } from "../../policy/harness";
import { summarize } from "../../report/report";
import { REPORT_FORMATS, type ReportFormat } from "../../report/reporters";
import { allRules, ruleById } from "../../rules/catalog";
import type { Severity } from "../../rules/rule";
import { type CliIo, EXIT_CLEAN, EXIT_FINDINGS, EXIT_INPUT, UsageError } from "../io";
import { emitReport } from "../report-output";

interface CheckFlags {
  format: ReportFormat;
  settings?: string;
  policyConfig?: string;
  output?: string;
}

interface WorkerOutput {
  violations: HarnessViolation[];
  resources: { type: string; name: string; urn: string }[];
}

function workerCommand(): string[] {
  const js = join(__dirname, "..", "..", "policy", "check-worker.js");
  if (existsSync(js)) return [js];
  return ["--import", "tsx", join(__dirname, "..", "..", "policy", "check-worker.ts")];
}

function readJsonOption(option: string, file: string | undefined): string {
  if (file === undefined) return "{}";
  try {
    const text = readFileSync(file, "utf8");
    JSON.parse(text);
    return text;
  } catch (e) {
    throw new UsageError(`option '${option}' cannot read JSON from "${file}": ${(e as Error).message}`);
  }
}

/** A policy violation as an audit finding, so every report format can print it. */
function toFinding(v: HarnessViolation, resources: WorkerOutput["resources"]): Finding {
  const rule = ruleById(v.policyName);
  const resource = resources.find((r) => r.urn === v.urn);
  const severity: Severity = rule?.severity ?? (v.severity as Severity | undefined) ?? "high";
  return {
    ruleId: v.policyName,
    severity,
    message: `${v.message} (${v.enforcementLevel})`,
    file: v.urn ?? "(stack)",
    line: 1,
    column: 1,
    object: resource ? `${resource.type} ${resource.name}` : "stack",
    references: rule?.references ?? {},
    resourceIndex: resource ? resources.indexOf(resource) : -1,
  };
}

/** `shipshape check <program-dir>`: the policy pack on a program under the mock runtime. */
export function registerCheck(program: Command, io: CliIo, exit: (code: number) => void): void {
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
    .addHelpText(
      "after",
      "\nExit codes: 0 no mandatory violation, 1 a mandatory violation, 2 the program cannot run or a bad option.",
    )
    .action((dir: string, flags: CheckFlags) => {
      const settings = readJsonOption("--settings", flags.settings);
      const config = readJsonOption("--policy-config", flags.policyConfig);
      const result = spawnSync(process.execPath, [...workerCommand(), dir, settings, config], {
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, PULUMI_NODEJS_SKIP_PLUGIN_INSTALL: "true" },
      });
      if (result.error || result.status !== 0) {
        io.stderr(
          result.stderr || `error: cannot run the check worker: ${result.error?.message ?? "unknown"}\n`,
        );
        exit(EXIT_INPUT);
        return;
      }
      const out = JSON.parse(result.stdout) as WorkerOutput;
      const findings = out.violations.map((v) => toFinding(v, out.resources));
      const report = {
        findings,
        errors: [],
        rules: allRules.filter((r) => findings.some((f) => f.ruleId === r.id)),
        files: out.resources.map((r) => r.urn),
        summary: summarize({
          findings,
          errors: [],
          filesAudited: out.resources.length,
          filesSkipped: 0,
          profile: "default",
          minSeverity: "info",
        }),
      };
      emitReport(flags.format, report, io, flags.output);
      exit(out.violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT_FINDINGS : EXIT_CLEAN);
    });
}
