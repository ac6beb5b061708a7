import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateRulesMd, RULES_MD_PATH } from "../scripts/generate-rules-md";
import { rulesMarkdown } from "../src/report/rules-catalog";
import { allRules, outOfScope } from "../src/rules/catalog";
import { testPrivilegedRule } from "./cli/helpers";

describe("RULES.md", () => {
  it("is up to date with the rule catalog (regenerate with `npm run rules:md`)", () => {
    expect(RULES_MD_PATH).toBe(join(__dirname, "..", "RULES.md"));
    expect(readFileSync(RULES_MD_PATH, "utf8")).toBe(generateRulesMd());
  });

  it("has an anchor per rule id and every out-of-scope check", () => {
    const text = generateRulesMd();
    for (const rule of allRules) {
      expect(text).toContain(`\n### ${rule.id}\n`);
      expect(text).toContain(`[\`${rule.id}\`](#${rule.id})`);
    }
    for (const o of outOfScope) expect(text).toContain(`| \`${o.id}\` |`);
  });

  it("shows a rule's level, profiles, references and fix", () => {
    const text = rulesMarkdown(
      [testPrivilegedRule],
      [
        {
          framework: "kubeLinter",
          id: "some-check",
          title: "Some | check",
          reason: "not a security control",
        },
      ],
    );
    expect(text).toContain(
      "| [`test-privileged`](#test-privileged) | Test: containers must not be privileged | high | Docker, Kubernetes | baseline | default, baseline, restricted | yes |",
    );
    expect(text).toContain("  - Pod Security Standards: `privileged`");
    expect(text).toContain("- Automatic fix: yes");
    expect(text).toContain("### kube-linter\n\n| id | title | reason |");
    expect(text).toContain("| `some-check` | Some \\| check | not a security control |");
  });

  it("shows each rule's platforms and parameters from the rule's data", () => {
    const text = generateRulesMd();
    const section = (id: string) =>
      text.slice(text.indexOf(`\n### ${id}\n`), text.indexOf("\n### ", text.indexOf(`\n### ${id}\n`) + 5));
    expect(section("ports-all-interfaces")).toContain("- Platforms: Docker\n");
    expect(section("ports-all-interfaces")).toContain(
      "  - `bindAddress` (ip-address, default none): Host address the automatic fix binds published ports to",
    );
    expect(section("missing-network-policy")).toContain("- Platforms: Kubernetes\n");
    expect(section("privileged-container")).toContain("- Platforms: Docker, Kubernetes\n");
    expect(section("probe-host")).toContain("- PSS versions: v1.34 and newer\n");
    expect(section("cluster-admin-binding")).toContain(
      "- Differs from kube-linter `cluster-admin-role-binding` (A subject bound to the cluster-admin role): also reports bindings to an audited role with the same powers",
    );
    expect(text).toContain(
      "| v1.37 | `sysctls` | net.ipv4.tcp_slow_start_after_idle and net.ipv4.tcp_notsent_lowat join the safe sysctls |",
    );
  });
});
