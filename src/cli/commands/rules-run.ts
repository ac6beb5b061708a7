import { inProfile } from "../../engine/profiles";
import { profilesOf, rulesMarkdown } from "../../report/rules-catalog";
import { allRules, outOfScope } from "../../rules/catalog";
import { type CliIo, EXIT_CLEAN } from "../io";
import type { RulesFlags } from "./rules";

/** What `shipshape rules` does; sets `exit(code)` when done. */
export function rulesAction(flags: RulesFlags, io: CliIo, exit: (code: number) => void): void {
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
}
