/**
 * The policy pack under the real engine: `pulumi preview --policy-pack policy` on whole programs
 * with a local file backend gives what `shipshape check` (the same pack under the mock runtime)
 * gives, and a mandatory violation fails the preview.
 *
 * Fails (telling you to run scripts/setup.sh) when the Pulumi toolchain, its docker plugin or the
 * Docker engine is missing, unless SHIPSHAPE_SKIP_PULUMI=1.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkProgram } from "../../src/policy/check";
import {
  POLICY_PACK,
  type PolicyViolation,
  PulumiWorkspace,
  policyViolations,
  REPO,
  requireToolchain,
  skipPulumi,
} from "./pulumi-cli";

const PROGRAMS = join(REPO, "test/fixtures/programs");
/**
 * The hardened program's images come from a registry CI scans and signs (see its Pulumi.yaml).
 * The pack's settings file stays generic, so both paths are told through CrossGuard's
 * per-policy config: `--policy-pack-config` here, `config` for shipshape check.
 */
const HARDENED_CONFIG_FILE = join(PROGRAMS, "hardened-services", "policy-config.json");

/** `resource policy level`, the identity of a violation both paths report. */
const key = (resource: string, policy: string, level: string) => `${resource} ${policy} ${level}`;
const engineKeys = (vs: PolicyViolation[]) =>
  [...new Set(vs.map((v) => key(v.resourceName, v.policy, v.level)))].sort();

async function checkKeys(program: string, configFile?: string): Promise<string[]> {
  const config = configFile ? JSON.parse(readFileSync(configFile, "utf8")) : {};
  const result = await checkProgram(join(PROGRAMS, program), { config });
  return [
    ...new Set(
      result.violations.map((v) => key(v.urn?.split("::").pop() ?? "", v.policyName, v.enforcementLevel)),
    ),
  ].sort();
}

/** Property names of `docker.ContainerArgs` in the installed npm SDK: what programs and the pack use. */
function sdkContainerArgNames(): Set<string> {
  const dts = readFileSync(join(REPO, "node_modules/@pulumi/docker/container.d.ts"), "utf8");
  const body = /^export interface ContainerArgs \{$([\s\S]*?)^\}$/m.exec(dts)?.[1] ?? "";
  return new Set([...body.matchAll(/^ {4}(\w+)\??:/gm)].map((m) => m[1] ?? ""));
}

describe.skipIf(skipPulumi)("pulumi preview --policy-pack policy (real CLI, local backend)", () => {
  let ws: PulumiWorkspace;

  beforeAll(async () => {
    await requireToolchain();
    ws = new PulumiWorkspace("policy-e2e");
  });

  afterAll(() => ws?.dispose());

  const preview = async (program: string, configFile?: string) => {
    const dir = ws.stage(program, join(PROGRAMS, program, "index.ts"));
    await ws.pulumiOk(["stack", "init", "e2e"], dir);
    const config = configFile ? ["--policy-pack-config", configFile] : [];
    return ws.pulumi(["preview", "--policy-pack", POLICY_PACK, ...config], dir);
  };

  it("hands the pack the npm SDK's property names (the docker plugin's Check keeps them)", async () => {
    const dir = ws.stage("sdk-names", join(PROGRAMS, "hardened-services", "index.ts"));
    await ws.pulumiOk(["stack", "init", "e2e"], dir);
    const result = await ws.pulumiOk(["preview", "--json"], dir);
    const steps = (JSON.parse(result.stdout) as { steps: { newState?: { type: string; inputs?: object } }[] })
      .steps;
    const containers = steps.flatMap((s) =>
      s.newState?.type === "docker:index/container:Container" ? [s.newState.inputs ?? {}] : [],
    );
    expect(containers).toHaveLength(3);
    const sdk = sdkContainerArgNames();
    expect(sdk.has("networksAdvanced") && sdk.has("capabilities")).toBe(true);
    const foreign = [...new Set(containers.flatMap((i) => Object.keys(i)))]
      .filter((k) => k !== "__defaults" && !sdk.has(k))
      .sort();
    // A name the SDK does not have is a field the pack cannot see (e.g. networks_advanced).
    expect(
      foreign,
      "pulumi-resource-docker renames these inputs; map them to the npm SDK's names in scripts/pulumi-toolchain",
    ).toEqual([]);
  }, 240_000);

  it("passes the hardened program with no violation, as shipshape check does", async () => {
    const result = await preview("hardened-services", HARDENED_CONFIG_FILE);
    expect(result.output).toMatch(/Policies:/);
    expect(result.output).toMatch(/shipshape@v[\d.]+/);
    expect(policyViolations(result.output), result.output).toEqual([]);
    expect(await checkKeys("hardened-services", HARDENED_CONFIG_FILE)).toEqual([]);
    expect(result.code, result.output).toBe(0);
    // The preview registered the hardened containers (three services, each with its network).
    expect(result.output).toMatch(/\+ 10 to create/);
  }, 240_000);

  it("reports the unhardened program's violations as shipshape check does, and the mandatory ones fail it", async () => {
    const result = await preview("raw-containers");
    const engine = policyViolations(result.output);
    expect(engine.length, result.output).toBeGreaterThan(0);

    const mandatory = (keys: string[]) => keys.filter((k) => k.endsWith(" mandatory"));
    const fromCheck = await checkKeys("raw-containers");
    // Same mandatory policies on the same resources, and the same advisory ones.
    expect(mandatory(engineKeys(engine))).toEqual(mandatory(fromCheck));
    expect(engineKeys(engine)).toEqual(fromCheck);

    for (const expected of [
      key("agent", "privileged-container", "mandatory"),
      key("agent", "docker-socket-mount", "mandatory"),
      key("agent", "host-namespaces", "mandatory"),
      key("worker", "capabilities-baseline", "mandatory"),
      key("web", "image-latest-tag", "advisory"),
      key("web", "ports-all-interfaces", "advisory"),
      // A stack policy's violation, reported on the container: nothing scans or signs the images.
      key("agent", "image-not-verified", "advisory"),
      key("web", "image-not-verified", "advisory"),
      key("worker", "image-not-verified", "advisory"),
    ]) {
      expect(engineKeys(engine)).toContain(expected);
    }
    // Severities come through the engine: critical and high are the mandatory ones.
    for (const v of engine) {
      expect(v.level === "mandatory", `${v.policy} ${v.severity}`).toBe(
        ["critical", "high"].includes(v.severity),
      );
    }
    // A mandatory violation makes the preview fail.
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toMatch(/error: preview failed/);
  }, 240_000);
});
