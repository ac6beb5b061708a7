import { describe, expect, it } from "vitest";
import {
  ALLOWED_SERVICES_LABEL,
  evaluatePolicies,
  type HarnessResource,
  NETWORK_SEGMENTATION_POLICY,
  shipshapePolicies,
} from "../../src/policy";

const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function network(name: string, labels: Record<string, string>): HarnessResource {
  return {
    type: "docker:index/network:Network",
    name,
    urn: `urn:pulumi:dev::proj::docker:index/network:Network::${name}`,
    props: { name, labels: Object.entries(labels).map(([label, value]) => ({ label, value })) },
  };
}

function container(service: string, networks: string[], deps: string[] = []): HarnessResource {
  return {
    type: "docker:index/container:Container",
    name: service,
    urn: `urn:pulumi:dev::proj::docker:index/container:Container::${service}`,
    props: {
      image: "registry.example.com/app:1",
      labels: [{ label: "shipshape.io/service", value: service }],
      networksAdvanced: networks.map((name) => ({ name })),
    },
    propertyDependencies: { networksAdvanced: deps },
  };
}

const DB_NET = network("db-net", { "shipshape.io/service": "db", [ALLOWED_SERVICES_LABEL]: "api" });
const SHARED = network("shared", {});
const policies = shipshapePolicies();
const violations = (r: Awaited<ReturnType<typeof evaluatePolicies>>) =>
  r.violations.filter((v) => v.policyName === NETWORK_SEGMENTATION_POLICY);

describe("network segmentation (stack policy)", () => {
  it("admits the owner and the allowed services, and networks that state no intent", async () => {
    const result = await evaluatePolicies(policies, [
      DB_NET,
      SHARED,
      container("db", ["db-net"]),
      container("api", ["db-net", "shared"]),
      container("web", ["shared"]),
    ]);
    expect(violations(result)).toEqual([]);
  });

  it("reports a container on a network that does not admit it, as mandatory", async () => {
    const result = await evaluatePolicies(policies, [DB_NET, container("web", ["db-net"])]);
    expect(violations(result)).toEqual([
      expect.objectContaining({
        enforcementLevel: "mandatory",
        urn: expect.stringContaining("::web"),
        message: expect.stringContaining("admits only api, db"),
      }),
    ]);
  });

  it("finds the network through the dependency when its name is unknown at preview", async () => {
    const result = await evaluatePolicies(policies, [
      DB_NET,
      container("web", [UNKNOWN_STRING], [DB_NET.urn]),
    ]);
    expect(violations(result)).toHaveLength(1);
  });
});
