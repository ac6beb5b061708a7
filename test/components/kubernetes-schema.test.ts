/**
 * The Kubernetes rendering is valid against the Kubernetes OpenAPI schema (kubernetes-models'
 * generated validators), for the examples and for arbitrary valid args.
 */
import fc from "fast-check";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { RenderedFile } from "../../src/render/compose";
import { programServices, RenderTarget, renderServices } from "../../src/render/render";
import { common } from "./arbitraries";

/** A kubernetes-models class (typed loosely: its base types sit behind package exports TS's node10 resolution does not read). */
type Model = new (data: unknown) => { validate(): void };
const MODELS: Record<string, Model> = {
  Deployment: Deployment as unknown as Model,
  Service: Service as unknown as Model,
  ServiceAccount: ServiceAccount as unknown as Model,
  NetworkPolicy: NetworkPolicy as unknown as Model,
  PodDisruptionBudget: PodDisruptionBudget as unknown as Model,
};

function validateAll(files: readonly RenderedFile[]): string[] {
  const text = files.find((f) => f.path === "kubernetes.yaml")?.content ?? "";
  const kinds: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    const manifest = doc.toJS() as { kind: string };
    const Model = MODELS[manifest.kind];
    if (!Model) throw new Error(`no schema for kind ${manifest.kind}`);
    new Model(manifest).validate();
    kinds.push(manifest.kind);
  }
  return kinds;
}

describe("Kubernetes rendering against the Kubernetes schema", () => {
  it("rejects a manifest the schema forbids (the validator is live)", () => {
    const deployment = MODELS.Deployment as Model;
    expect(() => new deployment({ metadata: { name: "x" }, spec: { replicas: "three" } }).validate()).toThrow(
      /replicas/,
    );
  });

  it("validates the Kubernetes example", async () => {
    const services = await programServices(`${__dirname}/../../examples/secure-service-kubernetes`);
    const { files } = await renderServices(services, RenderTarget.Kubernetes);
    expect(validateAll(files).sort()).toEqual([
      "Deployment",
      "Deployment",
      "NetworkPolicy",
      "NetworkPolicy",
      "PodDisruptionBudget",
      "Service",
      "Service",
      "ServiceAccount",
      "ServiceAccount",
    ]);
  });

  it("validates every rendering of valid args", async () => {
    await fc.assert(
      fc.asyncProperty(common("kubernetes"), async (args) => {
        const { files } = await renderServices([{ name: "svc", args }], RenderTarget.Kubernetes);
        expect(validateAll(files)).toContain("Deployment");
      }),
      { numRuns: 100 },
    );
  });
});
