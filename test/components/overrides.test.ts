/** The override table: every rule an override weakens is a rule of the catalog, on the platform where it applies. */
import { describe, expect, it } from "vitest";
import { Capability } from "../../src/components/secure-service/args";
import {
  OVERRIDE_RULES,
  type OverrideContext,
  overrideRecords,
} from "../../src/components/secure-service/overrides";
import { PlatformKind } from "../../src/platform/platform";
import { allRules } from "../../src/rules/catalog";

const contexts: OverrideContext[] = [PlatformKind.Docker, PlatformKind.Kubernetes].flatMap((kind) =>
  [undefined, "latest", "2.4.1", null].map((imageTag) => ({
    kind,
    capabilities: [Capability.NetBindService, Capability.Chown, Capability.SysNice],
    portCount: 1,
    imageTag,
  })),
);

describe("SecureService's override table", () => {
  it("names only rules of the catalog, by object", () => {
    const catalog = new Set(allRules);
    for (const [name, rulesFor] of Object.entries(OVERRIDE_RULES))
      for (const context of contexts)
        for (const rule of rulesFor(context)) expect(catalog.has(rule), `${name}: ${rule.id}`).toBe(true);
  });

  it("weakens each rule only where it would fire", () => {
    const ids = (name: keyof typeof OVERRIDE_RULES, context: OverrideContext) =>
      OVERRIDE_RULES[name](context).map((r) => r.id);
    const docker = contexts[0] as OverrideContext;
    const kube = { ...docker, kind: PlatformKind.Kubernetes };
    expect(ids("publicBind", docker)).toEqual(["ports-all-interfaces"]);
    expect(ids("publicBind", kube)).toEqual([]);
    expect(ids("publicBind", { ...docker, portCount: 0 })).toEqual([]);
    expect(ids("skipNetworkPolicy", docker)).toEqual([]);
    expect(ids("skipNetworkPolicy", kube)).toEqual(["missing-network-policy"]);
    expect(ids("mutableImageTag", { ...kube, imageTag: "2.4.1" })).toEqual(["image-digest"]);
    expect(ids("mutableImageTag", { ...kube, imageTag: undefined })).toEqual([
      "image-digest",
      "image-latest-tag",
    ]);
    expect(ids("mutableImageTag", { ...kube, imageTag: null })).toEqual([]);
    expect(ids("extraCapabilities", { ...docker, capabilities: [Capability.NetBindService] })).toEqual([]);
    expect(ids("extraCapabilities", { ...docker, capabilities: [Capability.Chown] })).toEqual([
      "drop-all-capabilities",
    ]);
    expect(ids("extraCapabilities", { ...docker, capabilities: [Capability.SysNice] })).toEqual([
      "drop-all-capabilities",
      "capabilities-baseline",
    ]);
  });

  it("records the reason and, on the workload, a suppression per weakened rule", () => {
    const records = overrideRecords(
      [{ name: "writableRootFilesystem", reason: "vendor cache under /opt" }],
      contexts[0] as OverrideContext,
      true,
    );
    expect(records).toEqual({
      "shipshape.io/override.writableRootFilesystem": "vendor cache under /opt",
      "shipshape.io/suppress.read-only-root-filesystem":
        "override writableRootFilesystem: vendor cache under /opt",
    });
  });
});
