/**
 * Pulumi's own analyzer infers the package schema from the TypeScript source, as the component
 * provider host does for `pulumi package add`. It must accept every component: a type it cannot
 * put in a schema (a class instance, `unknown`, a union) fails here, naming the field.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type AnalyzeResult, Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { SECURE_SERVICE_OUTPUTS } from "./surface";

const root = join(__dirname, "..", "..");
/** Every component the package exports; a new component is added here. */
const COMPONENTS = [
  "SecureService",
  "RuntimeProfile",
  "HardenedDaemon",
  "DaemonAudit",
  "ImageScan",
  "SecretStore",
  "EncryptedVolume",
  "SignedImage",
  "SegmentedNetworks",
  "ConnectivityProbe",
  "ObservabilityStack",
  "KubernetesAudit",
];

describe("the package schema Pulumi infers", () => {
  let result: AnalyzeResult;
  beforeAll(() => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
    result = new Analyzer(root, "shipshape", pkg, new Set(COMPONENTS)).analyze();
  }, 180_000);

  it("is served by the component provider host from provider/ (what `pulumi package add` runs)", async () => {
    // The same discovery and schema generation as Pulumi's run-plugin does for provider/.
    const exported = require(join(root, "provider")) as Record<string, unknown>;
    const components = getPulumiComponents(exported);
    expect(components.map((c) => c.name).sort()).toEqual([...COMPONENTS].sort());
    const host = new ComponentProvider({ name: "shipshape", dirname: join(root, "provider"), components });
    const schema = JSON.parse(await host.getSchema()) as {
      name: string;
      resources: Record<string, { isComponent?: boolean; requiredInputs?: string[] }>;
    };
    expect(schema.name).toBe("shipshape");
    expect(Object.keys(schema.resources).sort()).toEqual(
      COMPONENTS.map((c) => `shipshape:index:${c}`).sort(),
    );
    for (const r of Object.values(schema.resources)) expect(r.isComponent).toBe(true);
    expect(schema.resources["shipshape:index:SecureService"]?.requiredInputs?.sort()).toEqual([
      "healthCheck",
      "image",
    ]);
  }, 180_000);

  it("accepts every component", () => {
    expect(Object.keys(result.components).sort()).toEqual([...COMPONENTS].sort());
  });

  it("has SecureService's targets as plain, optional objects and its image as an input", () => {
    const inputs = result.components.SecureService?.inputs ?? {};
    expect(inputs.docker).toMatchObject({ $ref: "#/types/shipshape:index:DockerTargetArgs", optional: true });
    expect(inputs.kubernetes).toMatchObject({
      $ref: "#/types/shipshape:index:KubernetesTargetArgs",
      optional: true,
    });
    expect(inputs.image).toMatchObject({ type: "string" });
    expect(inputs.image?.plain).toBeUndefined();
    expect(inputs.platform).toBeUndefined();
    expect(result.typeDefinitions.PodSecurityLevel?.enum?.map((e) => e.value)).toEqual([
      "restricted",
      "baseline",
    ]);
  });

  it("has EncryptedVolume's kind as an enum, its key as a secret-capable input, and volumes by reference on SecureService", () => {
    const inputs = result.components.EncryptedVolume?.inputs ?? {};
    expect(inputs.kind).toMatchObject({ $ref: "#/types/shipshape:index:VolumeKind" });
    expect(inputs.kind?.optional).toBeUndefined();
    expect(inputs.key).toMatchObject({ type: "string", optional: true });
    expect(inputs.key?.plain).toBeUndefined();
    expect(inputs.backupOnDestroy).toMatchObject({
      $ref: "#/types/shipshape:index:VolumeBackupArgs",
      optional: true,
    });
    expect(result.typeDefinitions.VolumeKind?.enum?.map((e) => e.value)).toEqual(["ephemeral", "encrypted"]);
    const volumeArgs = result.typeDefinitions.VolumeArgs?.properties ?? {};
    expect(volumeArgs.volume).toMatchObject({ type: "string", optional: true });
    expect(volumeArgs.name).toMatchObject({ type: "string", optional: true });
  });

  it("lists outputs only, no internals", () => {
    expect(Object.keys(result.components.SecureService?.outputs ?? {}).sort()).toEqual(
      SECURE_SERVICE_OUTPUTS,
    );
    expect(Object.keys(result.components.HardenedDaemon?.outputs ?? {})).not.toContain("config");
    expect(Object.keys(result.components.DaemonAudit?.outputs ?? {})).toContain("counts");
    expect(Object.keys(result.components.EncryptedVolume?.outputs ?? {}).sort()).toEqual([
      "hostCipherDirectory",
      "hostMountPoint",
      "kind",
      "volumeName",
      "volumeRef",
    ]);
  });

  it("has SegmentedNetworks' topology as plain lists, its outputs for SecureService's segment and the probe", () => {
    expect(Object.keys(result.components.SegmentedNetworks?.outputs ?? {}).sort()).toEqual([
      "attachments",
      "caCertPem",
      "networkNames",
      "policyNames",
      "prefix",
      "reachable",
      "tlsSecrets",
      "topology",
    ]);
    const inputs = result.components.SegmentedNetworks?.inputs ?? {};
    expect(inputs.tiers).toMatchObject({ type: "array" });
    expect(inputs.mtls).toMatchObject({ $ref: "#/types/shipshape:index:MtlsArgs", optional: true });
    expect(result.components.SecureService?.inputs?.segment).toMatchObject({
      $ref: "#/types/shipshape:index:SegmentMembershipArgs",
      optional: true,
    });
    expect(Object.keys(result.components.ConnectivityProbe?.outputs ?? {}).sort()).toEqual([
      "cells",
      "differences",
      "fingerprint",
      "table",
    ]);
  });

  it("documents every optional input with its @default", () => {
    // The schema carries descriptions without tags, so the tags are read from the source.
    const program = ts.createProgram([join(root, "src/index.ts")], { strict: true });
    const checker = program.getTypeChecker();
    const entry = program.getSourceFile(join(root, "src/index.ts"));
    const seen = new Set<string>();
    const undocumented: string[] = [];
    const visit = (type: ts.Type, where: string) => {
      const name = type.getSymbol()?.getName();
      if (!name || seen.has(name) || !type.isClassOrInterface()) return;
      seen.add(name);
      for (const prop of type.getProperties()) {
        const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
        if (optional && !prop.getJsDocTags().some((t) => t.name === "default"))
          undocumented.push(`${where}.${prop.getName()}`);
        const propType = checker.getNonNullableType(checker.getTypeOfSymbol(prop));
        const element = checker.isArrayType(propType)
          ? checker.getTypeArguments(propType as ts.TypeReference)[0]
          : propType;
        if (element) visit(element, `${where}.${prop.getName()}`);
      }
    };
    for (const symbol of checker.getExportsOfModule(
      checker.getSymbolAtLocation(entry as ts.SourceFile) as ts.Symbol,
    ))
      if (symbol.getName().endsWith("Args") && symbol.flags & ts.SymbolFlags.Interface)
        visit(checker.getDeclaredTypeOfSymbol(symbol), symbol.getName());
    expect(seen.size).toBeGreaterThan(10);
    expect(undocumented).toEqual([]);
  });
});
