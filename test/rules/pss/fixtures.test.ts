import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit";
import { pssRules } from "../../../src/rules/pss";
import { loadKubernetesFile } from "../../../src/sources/kubernetes-file";

const FIXTURES = join(__dirname, "../../fixtures/kubernetes/pss");

/**
 * Each rule has `<rule-id>/fail.yaml` and `<rule-id>/pass.yaml`. A failing line carries the
 * trailing comment `# expect: <rule-id>`: the rule must report exactly those lines, no more.
 */
function expectedLines(text: string, ruleId: string): number[] {
  const marker = `# expect: ${ruleId}`;
  return text
    .split("\n")
    .flatMap((line, i) => (line.trimEnd().endsWith(marker) ? [i + 1] : []))
    .sort((a, b) => a - b);
}

function findings(ruleId: string, kind: "fail" | "pass") {
  const file = join(FIXTURES, ruleId, `${kind}.yaml`);
  const text = readFileSync(file, "utf8");
  const loaded = loadKubernetesFile(file, text);
  expect(loaded.errors).toEqual([]);
  expect(loaded.resources.length).toBeGreaterThan(0);
  return { text, found: audit(loaded.resources, { only: [ruleId] }) };
}

describe("PSS rule fixtures", () => {
  it("cover every PSS rule", () => {
    expect(pssRules.length).toBe(19);
  });

  for (const rule of pssRules) {
    describe(rule.id, () => {
      it("reports every marked line of fail.yaml and nothing else", () => {
        const { text, found } = findings(rule.id, "fail");
        const want = expectedLines(text, rule.id);
        expect(want.length).toBeGreaterThan(0);
        expect(found.every((f) => f.ruleId === rule.id)).toBe(true);
        expect(found.map((f) => f.line).sort((a, b) => a - b)).toEqual(want);
      });

      it("reports nothing on pass.yaml", () => {
        const { found } = findings(rule.id, "pass");
        expect(found).toEqual([]);
      });

      it("declares its level, a PSS check id and a why-comment", () => {
        expect(rule.pssLevel).toMatch(/^(baseline|restricted)$/);
        expect(rule.references.pss?.length).toBe(1);
        const source = readFileSync(join(__dirname, "../../../src/rules/pss", `${rule.id}.ts`), "utf8");
        expect(source.startsWith("/**\n * Why:")).toBe(true);
      });

      it("marks itself fixable exactly when it offers fixes", () => {
        const { found } = findings(rule.id, "fail");
        expect(found.some((f) => f.fix !== undefined)).toBe(rule.fixable === true);
      });
    });
  }
});

describe("PSS finding positions", () => {
  it("point at the offending field, not just the object", () => {
    const { found } = findings("unsafe-sysctls", "fail");
    expect(found.map((f) => [f.line, f.column])).toEqual([
      [10, 9],
      [12, 9],
    ]);
    expect(found[0]?.message).toContain('"kernel.msgmax"');
    expect(found[0]?.object).toBe("Pod tuned");
  });

  it("fall back to the container when the field is absent", () => {
    const { found } = findings("run-as-non-root", "fail");
    expect(found[0]).toMatchObject({ line: 9, column: 7 });
    expect(found[0]?.message).toBe(
      'container "app" may run as root: neither it nor the pod sets securityContext.runAsNonRoot=true',
    );
  });
});
