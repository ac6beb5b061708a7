/**
 * Every rule of the catalog, through the policy pack, on the same fixtures the audit tests use:
 * each Kubernetes object of `<rule>/fail.yaml` becomes a Pulumi resource with the object as its
 * props (that is how @pulumi/kubernetes registers them), and the rule's policy must report on
 * the failing file and stay silent on the passing one; fixable rules must remediate the failing
 * props into ones that pass.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { audit } from "../../src/engine/audit";
import { evaluatePolicies, type HarnessResource, shipshapePolicies } from "../../src/policy";
import { allRules } from "../../src/rules/catalog";
import { loadKubernetesFile } from "../../src/sources/kubernetes-file";
import { DOCKER_RULE_CASES } from "./docker-rule-cases";

const FIXTURE_ROOTS = ["pss", "rules"].map((d) => join(__dirname, "../fixtures/kubernetes", d));

function fixture(ruleId: string, kind: "fail" | "pass"): string | undefined {
  for (const root of FIXTURE_ROOTS) {
    const file = join(root, ruleId, `${kind}.yaml`);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** `apps/v1` + `Deployment` → `kubernetes:apps/v1:Deployment`; the core group is `core`. */
function typeToken(apiVersion: string, kind: string): string {
  return `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${kind}`;
}

function toPulumiResources(file: string): HarnessResource[] {
  const out: HarnessResource[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    const obj = doc.toJS() as Record<string, unknown> | null;
    if (!obj || typeof obj.kind !== "string" || typeof obj.apiVersion !== "string") continue;
    const name = String((obj.metadata as Record<string, unknown> | undefined)?.name ?? "unnamed");
    const type = typeToken(obj.apiVersion, obj.kind);
    out.push({ type, name, urn: `urn:pulumi:dev::fixtures::${type}::${name}`, props: obj });
  }
  return out;
}

const policies = shipshapePolicies();
const KUBERNETES_RULES = allRules.filter((r) => fixture(r.id, "fail") !== undefined);

describe("policy pack × rule fixtures", () => {
  it("covers every rule that can meet a Kubernetes object", () => {
    // Rules on Dockerfiles and daemon.json never see a Pulumi resource; Docker-only workload
    // rules are covered with docker.Container props (docker-rules-policy.test.ts), except the
    // UTS namespace, which docker.Container has no input for; suppression rules in
    // docker-container-policy.test.ts.
    const uncovered = allRules.filter(
      (r) =>
        !KUBERNETES_RULES.includes(r) &&
        r.targets.some((t) => t !== "build" && t !== "daemon") &&
        !r.id.startsWith("suppression-") &&
        !(r.id in DOCKER_RULE_CASES) &&
        r.id !== "host-uts-namespace" &&
        // Judges running containers only (the live audit); a Pulumi resource never is one.
        r.id !== "container-healthcheck",
    );
    expect(uncovered.map((r) => r.id)).toEqual([]);
  });

  for (const rule of KUBERNETES_RULES) {
    describe(rule.id, () => {
      it("reports the failing fixture and not the passing one", async () => {
        const bad = await evaluatePolicies(policies, toPulumiResources(fixture(rule.id, "fail")!));
        expect(bad.violations.filter((v) => v.policyName === rule.id).length).toBeGreaterThan(0);
        const passFile = fixture(rule.id, "pass");
        if (passFile) {
          const good = await evaluatePolicies(policies, toPulumiResources(passFile));
          expect(good.violations.filter((v) => v.policyName === rule.id)).toEqual([]);
        }
      });

      if (rule.fixable && rule.scope !== "inventory") {
        it("remediates the failing fixture into props that pass", async () => {
          const resources = toPulumiResources(fixture(rule.id, "fail")!);
          const config = { [rule.id]: "remediate" as const };
          const first = await evaluatePolicies(policies, resources, { config });
          expect(first.remediated.size).toBeGreaterThan(0);
          const fixed = resources.map((r) => ({ ...r, props: first.remediated.get(r.urn) ?? r.props }));
          const again = await evaluatePolicies(policies, fixed);
          // What the audit could not fix automatically (no `fix` on the finding) remains.
          const file = fixture(rule.id, "fail")!;
          const unfixable = audit(loadKubernetesFile(file, readFileSync(file, "utf8")).resources, {
            only: [rule.id],
          }).filter((f) => !f.fix);
          expect(again.violations.filter((v) => v.policyName === rule.id)).toHaveLength(unfixable.length);
          const before = await evaluatePolicies(policies, resources);
          expect(unfixable.length).toBeLessThan(
            before.violations.filter((v) => v.policyName === rule.id).length,
          );
        });
      }
    });
  }
});
