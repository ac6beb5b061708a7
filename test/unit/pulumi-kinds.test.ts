import { describe, expect, it } from "vitest";
import { fromPulumiResource, modelKindOfPulumiType } from "../../src/adapters/pulumi";

describe("Pulumi Kubernetes type tokens", () => {
  it("map built-in kinds by their API group, and leave custom resources of the same name alone", () => {
    expect(modelKindOfPulumiType("kubernetes:core/v1:Service")).toBe("service");
    expect(modelKindOfPulumiType("kubernetes:apps/v1:Deployment")).toBe("workload");
    expect(modelKindOfPulumiType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")).toBe("role");
    expect(modelKindOfPulumiType("kubernetes:serving.knative.dev/v1:Service")).toBeUndefined();
    expect(modelKindOfPulumiType("kubernetes:apps/v1:DeploymentPatch")).toBeUndefined();
    const knative = fromPulumiResource({
      type: "kubernetes:serving.knative.dev/v1:Service",
      name: "hello",
      urn: "urn:pulumi:dev::p::kubernetes:serving.knative.dev/v1:Service::hello",
      props: { spec: { template: { spec: { containers: [{ image: "x:1" }] } } } },
    });
    expect(knative).toBeUndefined();
  });
});
