import { inProfile, PROFILES } from "../engine/profiles";
import type { OutOfScope } from "../rules/out-of-scope";
import { PEER_CHECKS } from "../rules/peer-checks";
import { LATEST_PSS_MINOR, PSS_CHANGES, pssVersionName } from "../rules/pss/versions";
import {
  PlatformScope,
  REFERENCE_FRAMEWORKS,
  type References,
  type Rule,
  type RuleParameter,
} from "../rules/rule";

/** How each reference framework is named in RULES.md. */
export const FRAMEWORK_NAMES: Record<keyof References, string> = {
  pss: "Pod Security Standards",
  cis: "CIS Docker Benchmark 1.6",
  kubeLinter: "kube-linter",
  checkov: "Checkov",
  polaris: "Polaris",
  kics: "KICS",
  hadolint: "hadolint",
};

/** How each platform scope reads in RULES.md. */
export const PLATFORM_NAMES: Record<PlatformScope, string> = {
  [PlatformScope.Docker]: "Docker",
  [PlatformScope.Kubernetes]: "Kubernetes",
  [PlatformScope.Both]: "Docker, Kubernetes",
};

function parameterLine(p: RuleParameter): string {
  const def = p.default === undefined ? "none" : `\`${JSON.stringify(p.default)}\``;
  return `  - \`${p.name}\` (${p.type}, default ${def}): ${p.description}`;
}

export function profilesOf(rule: Rule): string[] {
  return PROFILES.filter((p) => inProfile(rule, p));
}

/**
 * RULES.md: an index, one section per rule (anchored by its id, so `RULES.md#<id>` links
 * work), and the checks of other tools that are deliberately out of scope.
 */
export function rulesMarkdown(rules: readonly Rule[], outOfScope: readonly OutOfScope[]): string {
  const out: string[] = [
    "# shipshape rules",
    "",
    "<!-- Generated from the rule catalog by `npm run rules:md` (scripts/generate-rules-md.ts). Do not edit by hand: a test fails when this file is stale. -->",
    "",
    `${rules.length} rules. Profiles: \`default\` runs every rule; \`baseline\` and \`restricted\` run the Pod Security Standards checks of that level (restricted includes baseline); \`cis-docker\` runs the rules that implement a CIS Docker Benchmark recommendation. The suppression rules run in every profile.`,
    "",
    "Each rule lists the platforms whose objects it checks, its parameters, the checks of other tools it implements (a finding cites only those it answers: its platform's, and for a rule covering checks of different scope, the one of that finding) and, as \"Differs from\", where it deliberately judges differently from a peer's check. `shipshape rules --format json` gives the same as data.",
    "",
    "## Index",
    "",
    "| rule | title | severity | platforms | PSS level | profiles | fixable |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rules) {
    out.push(
      `| [\`${r.id}\`](#${r.id}) | ${cell(r.title)} | ${r.severity} | ${PLATFORM_NAMES[r.platforms]} | ${r.pssLevel ?? "—"} | ${profilesOf(r).join(", ")} | ${r.fixable ? "yes" : "no"} |`,
    );
  }
  out.push("", "## Rules", "");
  for (const r of rules) {
    out.push(`### ${r.id}`, "", `**${r.title}**`, "");
    out.push(`- Severity: ${r.severity}`);
    out.push(`- PSS level: ${r.pssLevel ?? "—"}`);
    if (r.pssSince !== undefined) out.push(`- PSS versions: ${pssVersionName(r.pssSince)} and newer`);
    out.push(`- Profiles: ${profilesOf(r).join(", ")}`);
    out.push(`- Platforms: ${PLATFORM_NAMES[r.platforms]}`);
    out.push(`- Checks: ${r.targets.join(", ")}`);
    if ((r.parameters?.length ?? 0) > 0) {
      out.push("- Parameters:");
      for (const p of r.parameters ?? []) out.push(parameterLine(p));
    }
    out.push(`- Automatic fix: ${r.fixable ? "yes (`shipshape audit --fix`)" : "no"}`);
    const refs = REFERENCE_FRAMEWORKS.filter((f) => (r.references[f]?.length ?? 0) > 0);
    if (refs.length === 0) out.push("- References: —");
    else {
      out.push("- References:");
      for (const f of refs) {
        out.push(`  - ${FRAMEWORK_NAMES[f]}: ${(r.references[f] ?? []).map((id) => `\`${id}\``).join(", ")}`);
      }
    }
    for (const d of r.differences ?? []) {
      const title = PEER_CHECKS[d.framework][d.id]?.title;
      out.push(
        `- Differs from ${FRAMEWORK_NAMES[d.framework]} \`${d.id}\`${title ? ` (${title})` : ""}: ${d.note}`,
      );
    }
    out.push("", `Rationale: ${r.rationale}`, "", `Remediation: ${r.remediation}`, "");
  }
  out.push(
    "## Pod Security Standards versions",
    "",
    `\`shipshape audit --pss-version\` (and the pack setting \`pssVersion\`) enforces the standard of one Kubernetes version, ${pssVersionName(25)} to ${pssVersionName(LATEST_PSS_MINOR)}; the default is the newest. What changed from ${pssVersionName(25)} on:`,
    "",
    "| version | checks | change |",
    "| --- | --- | --- |",
  );
  for (const c of Object.values(PSS_CHANGES)) {
    out.push(
      `| ${pssVersionName(c.since)} | ${c.checks.map((id) => `\`${id}\``).join(", ")} | ${cell(c.change)} |`,
    );
  }
  out.push("");
  out.push("## Out of scope", "");
  if (outOfScope.length === 0) {
    out.push("No check of another tool is marked out of scope yet.", "");
  } else {
    out.push("Checks of other tools that shipshape deliberately does not implement, and why.", "");
    for (const f of REFERENCE_FRAMEWORKS) {
      const items = outOfScope.filter((o) => o.framework === f);
      if (items.length === 0) continue;
      out.push(`### ${FRAMEWORK_NAMES[f]}`, "", "| id | title | reason |", "| --- | --- | --- |");
      for (const o of [...items].sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }))) {
        out.push(`| \`${o.id}\` | ${cell(o.title)} | ${cell(o.reason)} |`);
      }
      out.push("");
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
