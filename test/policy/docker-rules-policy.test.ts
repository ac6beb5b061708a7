/**
 * The Docker-only workload rules through the policy pack on raw docker.Container props: for each,
 * a violating and a compliant container. (Dockerfile and daemon.json rules never meet a Pulumi
 * resource; `host-uts-namespace` has no docker.Container input to express.)
 */
import { describe, expect, it } from "vitest";
import { evaluatePolicies, type HarnessResource, shipshapePolicies } from "../../src/policy";
import { DOCKER_RULE_CASES as CASES } from "./docker-rule-cases";

const DIGEST = `sha256:${"d".repeat(64)}`;
const BASE = {
  image: `registry.example.com/app@${DIGEST}`,
  user: "10001:10001",
  readOnly: true,
  capabilities: { drops: ["ALL"] },
  securityOpts: ["no-new-privileges:true"],
  memory: 256,
  cpus: "0.5",
  restart: "on-failure",
  maxRetryCount: 3,
  healthcheck: { tests: ["CMD", "/healthz"] },
  networksAdvanced: [{ name: "backend" }],
  labels: [
    { label: "shipshape.io/suppress.pids-limit", value: "the Docker provider has no PIDs-limit input" },
  ],
};

function container(name: string, props: Record<string, unknown>): HarnessResource {
  return {
    type: "docker:index/container:Container",
    name,
    urn: `urn:pulumi:dev::proj::docker:index/container:Container::${name}`,
    props: { ...BASE, ...props },
  };
}

const policies = shipshapePolicies();

describe("Docker workload rules through the policy pack", () => {
  for (const [ruleId, [bad, good]] of Object.entries(CASES)) {
    it(`${ruleId}: reports the violating container and not the compliant one`, async () => {
      const result = await evaluatePolicies(policies, [container("bad", bad), container("good", good)]);
      const found = result.violations.filter((v) => v.policyName === ruleId);
      expect(found.length, JSON.stringify(result.violations.map((v) => v.policyName))).toBeGreaterThan(0);
      expect(found.every((v) => v.urn?.endsWith("::bad"))).toBe(true);
    });
  }

  it("the compliant base container passes every policy", async () => {
    // Compliant includes a verified image: here, one from a registry a pipeline scans and signs.
    const verified = shipshapePolicies({ verifiedImages: ["registry.example.com/app@*"] });
    const result = await evaluatePolicies(verified, [container("base", {})]);
    expect(result.violations).toEqual([]);
  });
});
