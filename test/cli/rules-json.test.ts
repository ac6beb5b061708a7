import { describe, expect, it } from "vitest";
import { allRules } from "../../src/rules/catalog";
import { cliInProcess } from "./helpers";

interface RuleJson {
  id: string;
  platforms: string;
  parameters: { name: string; type: string; description: string }[];
  references: Record<string, string[]>;
  differences: { framework: string; id: string; note: string }[];
}

describe("shipshape rules --format json", () => {
  const r = cliInProcess(["rules", "--format", "json"]);
  const rules = JSON.parse(r.stdout) as RuleJson[];

  it("lists every rule with the peers' ids it cites, its differences, platforms and parameters", () => {
    expect(r.code).toBe(0);
    expect(rules.map((x) => x.id)).toEqual(allRules.map((x) => x.id));
    const byId = new Map(rules.map((x) => [x.id, x]));
    expect(byId.get("host-namespaces")?.references.polaris).toEqual([
      "hostNetworkSet",
      "hostPIDSet",
      "hostIPCSet",
    ]);
    expect(byId.get("missing-network-policy")?.differences.map((d) => `${d.framework} ${d.id}`)).toEqual([
      "kubeLinter non-isolated-pod",
      "polaris missingNetworkPolicy",
      "checkov CKV2_K8S_6",
    ]);
    expect(byId.get("missing-network-policy")?.platforms).toBe("kubernetes");
    expect(byId.get("ports-all-interfaces")?.parameters).toEqual([
      expect.objectContaining({ name: "bindAddress", type: "ip-address" }),
    ]);
    for (const rule of rules) expect(Array.isArray(rule.differences), rule.id).toBe(true);
  });
});
