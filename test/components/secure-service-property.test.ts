/**
 * The central property: anything valid, rendered, read back through the audit adapters, has zero
 * findings — Pod Security Standards `restricted` for Kubernetes, the CIS Docker rules for the
 * Compose rendering. Overrides keep it at zero because each writes its reason as a suppression.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromPulumiResource } from "../../src/adapters/pulumi";
import { Capability, PodSecurityLevel, SecureService, type SecureServiceArgs } from "../../src/components";
import { audit, selectRules } from "../../src/engine/audit";
import { runUnderMocks } from "../../src/program/mock-run";
import { RenderTarget, renderServices } from "../../src/render/render";
import { common } from "./arbitraries";
import { auditRendering } from "./render-audit";

async function findingsOf(
  args: SecureServiceArgs,
  target: RenderTarget,
  profile: "restricted" | "cis-docker",
) {
  const { files } = await renderServices([{ name: "svc", args }], target);
  const { findings, errors } = auditRendering(files, { profile });
  expect(errors).toEqual([]);
  return findings.map((f) => `${f.ruleId}: ${f.message}`);
}

/** The Pulumi path: the child resources' inputs, read by the Pulumi adapter (what the policy pack sees). */
async function pulumiFindings(args: SecureServiceArgs, profile: "restricted" | "cis-docker") {
  const registered = await runUnderMocks(() => {
    new SecureService("svc", args);
  });
  const resources = registered
    .map((r) =>
      fromPulumiResource({
        type: r.type,
        name: r.name,
        urn: `urn:pulumi:test::p::${r.type}::${r.name}`,
        props: r.inputs,
      }),
    )
    .filter((r) => r !== undefined);
  expect(resources.some((r) => r.kind === "workload")).toBe(true);
  return audit(resources, { profile }).map((f) => `${f.ruleId}: ${f.message}`);
}

describe("render anything valid, audit it: zero findings", () => {
  it("exercises rules in both profiles", () => {
    // The property is only as strong as the rules it runs; these are the ones present now.
    expect(selectRules({ profile: "restricted" }).length).toBeGreaterThan(5);
    expect(selectRules({ profile: "cis-docker" }).length).toBeGreaterThan(5);
  });

  it("Kubernetes rendering passes Pod Security Standards restricted", async () => {
    await fc.assert(
      fc.asyncProperty(common("kubernetes"), async (args) => {
        expect(await findingsOf(args, RenderTarget.Kubernetes, "restricted")).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("Docker (Compose) rendering passes the CIS Docker section 5 rules", async () => {
    await fc.assert(
      fc.asyncProperty(common("docker"), async (args) => {
        expect(await findingsOf(args, RenderTarget.Compose, "cis-docker")).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("the Pulumi resources themselves audit clean too (Docker: cis-docker, Kubernetes: restricted)", async () => {
    await fc.assert(
      fc.asyncProperty(common("docker"), async (args) => {
        expect(await pulumiFindings(args, "cis-docker")).toEqual([]);
      }),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(common("kubernetes"), async (args) => {
        expect(await pulumiFindings(args, "restricted")).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it("overrides stay at zero findings: each writes its reason as a suppression", async () => {
    const reason = fc.stringMatching(/^[a-z][a-z ]{12,40}[a-z]$/);
    const dockerOverrides = fc.record({
      args: common("docker"),
      writable: fc.option(reason, { nil: undefined }),
      caps: fc.option(
        fc.tuple(
          fc.uniqueArray(
            fc.constantFrom(
              Capability.Chown,
              Capability.Setuid,
              Capability.Setgid,
              Capability.Kill,
              Capability.NetRaw,
              Capability.SysNice,
            ),
            { minLength: 1, maxLength: 3 },
          ),
          reason,
        ),
        { nil: undefined },
      ),
      publicBind: fc.option(reason, { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(dockerOverrides, async ({ args, writable, caps, publicBind }) => {
        args.overrides = {};
        if (writable) args.overrides.writableRootFilesystem = { reason: writable };
        if (caps) args.overrides.extraCapabilities = { capabilities: caps[0], reason: caps[1] };
        if (publicBind) args.overrides.publicBind = { reason: publicBind };
        const { files } = await renderServices([{ name: "svc", args }], RenderTarget.Compose);
        const compose = files[0]?.content ?? "";
        if (writable) expect(compose).toContain(`shipshape.io/override.writableRootFilesystem: ${writable}`);
        expect(await findingsOf(args, RenderTarget.Compose, "cis-docker")).toEqual([]);
      }),
      { numRuns: 100 },
    );
    const kubeOverrides = fc.record({
      args: common("kubernetes"),
      writable: fc.option(reason, { nil: undefined }),
      skipNetworkPolicy: fc.option(reason, { nil: undefined }),
      baselineCaps: fc.option(reason, { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(kubeOverrides, async ({ args, writable, skipNetworkPolicy, baselineCaps }) => {
        args.overrides = {};
        if (writable) args.overrides.writableRootFilesystem = { reason: writable };
        if (skipNetworkPolicy) args.overrides.skipNetworkPolicy = { reason: skipNetworkPolicy };
        if (baselineCaps) {
          args.kubernetes = { namespace: "shop", podSecurityLevel: PodSecurityLevel.Baseline };
          args.overrides.extraCapabilities = { capabilities: [Capability.Chown], reason: baselineCaps };
        }
        expect(await findingsOf(args, RenderTarget.Kubernetes, "restricted")).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
