import { describe, expect, it } from "vitest";
import {
  evaluatePolicies,
  type HarnessResource,
  SECRET_ENV_POLICY,
  shipshapePolicies,
} from "../../src/policy";

const PASSWORD: HarnessResource = {
  type: "random:index/randomPassword:RandomPassword",
  name: "db-password",
  urn: "urn:pulumi:dev::proj::random:index/randomPassword:RandomPassword::db-password",
  props: { length: 32 },
};
const PET: HarnessResource = {
  type: "random:index/randomPet:RandomPet",
  name: "suffix",
  urn: "urn:pulumi:dev::proj::random:index/randomPet:RandomPet::suffix",
  props: {},
};

function app(envDeps: string[], mountDeps: string[] = []): HarnessResource {
  return {
    type: "docker:index/container:Container",
    name: "app",
    urn: "urn:pulumi:dev::proj::docker:index/container:Container::app",
    props: { image: "registry.example.com/app:1", envs: ["DB_PASSWORD=s3cr3t-value", "NAME=x"] },
    dependencies: [...envDeps, ...mountDeps],
    propertyDependencies: { envs: envDeps, uploads: mountDeps },
  };
}

const policies = shipshapePolicies();
const found = (r: Awaited<ReturnType<typeof evaluatePolicies>>) =>
  r.violations.filter((v) => v.policyName === SECRET_ENV_POLICY);

describe("secret passed as env (stack policy over property dependencies)", () => {
  it("reports a container whose envs come from a RandomPassword, as a mandatory violation on the container", async () => {
    const result = await evaluatePolicies(policies, [PASSWORD, app([PASSWORD.urn])]);
    expect(found(result)).toEqual([
      expect.objectContaining({
        enforcementLevel: "mandatory",
        urn: expect.stringContaining("::app"),
        message: expect.stringContaining("db-password"),
      }),
    ]);
  });

  it("accepts the same secret delivered as a file, and envs from non-secret resources", async () => {
    const result = await evaluatePolicies(policies, [PASSWORD, PET, app([PET.urn], [PASSWORD.urn])]);
    expect(found(result)).toEqual([]);
  });
});
