import { type Command, Option } from "commander";
import { inProfile, PROFILES, type ProfileId } from "../../engine/profiles";
import { profilesOf, rulesMarkdown } from "../../report/rules-catalog";
import { allRules, outOfScope } from "../../rules/catalog";
import { type CliIo, EXIT_CLEAN } from "../io";

interface RulesFlags {
  format: "text" | "json" | "markdown";
  profile?: ProfileId;
}

/** `shipshape rules`: lists the rule catalog. */
export function registerRules(program: Command, io: CliIo, exit: (code: number) => void): void {
  program
    .command("rules")
    .description("List the rules shipshape checks.")
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "json", "markdown"])
        .default("text"),
    )
    .addOption(new Option("-p, --profile <profile>", "only the rules of this profile").choices(PROFILES))
    .action((flags: RulesFlags) => {
      const profile = flags.profile;
      const rules = profile ? allRules.filter((r) => inProfile(r, profile)) : allRules;
      if (flags.format === "markdown") {
        io.stdout(rulesMarkdown(rules, profile ? [] : outOfScope));
      } else if (flags.format === "json") {
        const list = rules.map((r) => ({
          id: r.id,
          title: r.title,
          severity: r.severity,
          pssLevel: r.pssLevel ?? null,
          profiles: profilesOf(r),
          targets: r.targets,
          platforms: r.platforms,
          parameters: r.parameters ?? [],
          fixable: r.fixable === true,
          references: r.references,
          differences: r.differences ?? [],
          rationale: r.rationale,
          remediation: r.remediation,
        }));
        io.stdout(`${JSON.stringify(list, null, 2)}\n`);
      } else {
        const width = Math.max(0, ...rules.map((r) => r.id.length));
        for (const r of rules) {
          io.stdout(
            `${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.title}${r.fixable ? " (fixable)" : ""}\n`,
          );
        }
      }
      exit(EXIT_CLEAN);
    });
}
