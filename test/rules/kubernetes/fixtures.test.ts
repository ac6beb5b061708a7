/**
 * Every Kubernetes rule against its own fixtures: `fail.yaml` must produce findings of that
 * rule exactly on the lines marked `# expect` (a marker `# expect 2` means two findings on
 * that line), and `pass.yaml` must produce none. Fixable rules also go through a fix round
 * trip: apply the fixes, re-read the YAML, and only the unfixable findings may remain.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit";
import { kubernetesRules } from "../../../src/rules/kubernetes";
import { loadKubernetesFile } from "../../../src/sources/kubernetes-file";

const FIXTURES = join(__dirname, "../../fixtures/kubernetes/rules");

function load(ruleId: string, name: "fail.yaml" | "pass.yaml") {
  const file = join(FIXTURES, ruleId, name);
  const text = readFileSync(file, "utf8");
  const source = loadKubernetesFile(file, text);
  expect(source.errors, `${ruleId}/${name} must load cleanly`).toEqual([]);
  return { file, text, source };
}

/** Lines (1-based) marked `# expect` or `# expect N`, one entry per expected finding. */
function expectedLines(text: string): number[] {
  const out: number[] = [];
  text.split("\n").forEach((line, i) => {
    const m = /#\s*expect(?:\s+(\d+))?\s*$/.exec(line);
    if (!m) return;
    const count = m[1] ? Number(m[1]) : 1;
    for (let k = 0; k < count; k++) out.push(i + 1);
  });
  return out;
}

describe("Kubernetes rule fixtures", () => {
  it("has a fixture directory for every rule and no directory without a rule", () => {
    const ids = kubernetesRules.map((r) => r.id).sort();
    const dirs = readdirSync(FIXTURES).sort();
    expect(dirs).toEqual(ids);
  });

  for (const rule of kubernetesRules) {
    describe(rule.id, () => {
      it("reports every marked line of fail.yaml and nothing else", () => {
        const { text, source } = load(rule.id, "fail.yaml");
        const expected = expectedLines(text);
        expect(expected.length, "fail.yaml needs at least one `# expect` marker").toBeGreaterThan(0);
        const findings = audit(source.resources, { only: [rule.id] });
        expect(findings.every((f) => f.ruleId === rule.id)).toBe(true);
        expect(findings.map((f) => f.line)).toEqual(expected);
      });

      it("reports nothing on pass.yaml", () => {
        const { source } = load(rule.id, "pass.yaml");
        expect(source.resources.length).toBeGreaterThan(0);
        expect(audit(source.resources, { only: [rule.id] })).toEqual([]);
      });

      if (rule.fixable) {
        it("fixes fail.yaml so that only unfixable findings remain and the YAML still parses", () => {
          const { file, source } = load(rule.id, "fail.yaml");
          const before = audit(source.resources, { only: [rule.id] });
          const fixable = before.filter((f) => f.fix);
          expect(fixable.length, "fail.yaml should exercise the fix").toBeGreaterThan(0);
          const fixed = source.applyFixes?.(before, 0);
          expect(fixed).toBeTypeOf("string");
          const again = loadKubernetesFile(file, fixed as string);
          expect(again.errors).toEqual([]);
          expect(again.resources).toHaveLength(source.resources.length);
          const after = audit(again.resources, { only: [rule.id] });
          expect(after.filter((f) => f.fix)).toEqual([]);
          expect(after.map((f) => f.message).sort()).toEqual(
            before
              .filter((f) => !f.fix)
              .map((f) => f.message)
              .sort(),
          );
        });
      }
    });
  }
});
