/**
 * examples/yaml-docker through the real Pulumi CLI and the YAML language host built by
 * scripts/pulumi-toolchain/build.sh (upstream pulumi-language-yaml): the components come from the
 * shipshape component package (provider/, the `packages:` entry), served by its Node.js component
 * provider host. Like the TypeScript reference stack, it previews with the policy pack without a
 * violation (ImageScan vouches for the image, the services run it by ID); `up` deploys the two
 * services on the local Docker engine, and they pass the same hardening checks (docker inspect,
 * proofs from inside); a second `up` changes nothing; `destroy` leaves nothing behind.
 *
 * Docker objects and the stack are named `ss20-yaml-<pid>-…`; afterAll always destroys and removes
 * by name what is left. Fails (saying how to get it) when the toolchain, the YAML host or the
 * engine is missing, unless SHIPSHAPE_SKIP_PULUMI=1.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildImage,
  expectHardenedServices,
  expectInContainerProofs,
  leftovers,
  removeLeftovers,
  requirePolyglotToolchain,
  stageExample,
} from "./polyglot";
import {
  docker,
  freePort,
  POLICY_PACK,
  PulumiWorkspace,
  policyViolations,
  REPO,
  skipPulumi,
} from "./pulumi-cli";

const STACK = "e2e";

describe.skipIf(skipPulumi)("the YAML example program on the local Docker engine (real CLI)", () => {
  const prefix = `ss20-yaml-${process.pid}-${randomBytes(2).toString("hex")}`;
  const image = `${prefix}-app:1`;
  let ws: PulumiWorkspace;
  let dir: string;
  let webPort: number;
  let imageId: string;
  let deployed = false;
  const pulumi = (args: string[]) => ws.pulumiOk([...args, "--stack", STACK], dir, 300_000);

  beforeAll(async () => {
    await requirePolyglotToolchain("yaml");
    imageId = await buildImage(image);
    ws = new PulumiWorkspace("ss20-yaml");
    // ImageScan's dynamic provider runs `node` in the program's directory, which has no
    // node_modules: NODE_PATH says where @pulumi/pulumi is (the README says the same to users).
    ws.env.NODE_PATH = join(REPO, "node_modules");
    dir = join(ws.dir, "shipshape-yaml");
    stageExample("yaml-docker", dir, ["Pulumi.yaml"], ["shipshape-yaml-", `${prefix}-`]);
    webPort = await freePort();
    await ws.pulumiOk(["stack", "init", STACK], dir);
    await pulumi(["config", "set", "image", image]);
    await pulumi(["config", "set", "webPort", String(webPort)]);
  }, 300_000);

  afterAll(async () => {
    if (!ws) return;
    try {
      if (deployed) await ws.pulumi(["destroy", "--yes", "--skip-preview", "--stack", STACK], dir, 300_000);
    } finally {
      await removeLeftovers(prefix);
      await docker(["image", "rm", image]).catch(() => "");
      ws.dispose();
    }
  }, 300_000);

  it("previews with the policy pack without a violation: the image is scanned and run by ID", async () => {
    const preview = await pulumi(["preview", "--policy-pack", POLICY_PACK]);
    expect(preview.output).toMatch(/shipshape@v[\d.]+/);
    expect(preview.output).toMatch(/\+ 16 to create/);
    expect(policyViolations(preview.output), preview.output).toEqual([]);
  }, 420_000);

  it("up deploys both services through the component package, hardened as the TypeScript reference stack's", async () => {
    deployed = true;
    const up = await pulumi(["up", "--yes", "--skip-preview", "--policy-pack", POLICY_PACK]);
    // The YAML host runs the program; the components are remote (constructed by provider/).
    expect(up.output).toMatch(/shipshape:index:SecureService/);
    expect(up.output).toMatch(/\+ 16 created/);
    const out = JSON.parse((await pulumi(["stack", "output", "--json"])).stdout) as {
      containers: string[];
      networks: string[];
      url: string;
      secretNames: string[];
    };
    expect(out.containers).toEqual([`${prefix}-web`, `${prefix}-worker`]);
    expect(out.networks).toEqual([`${prefix}-web-net`, `${prefix}-worker-net`]);
    expect(out.url).toBe(`http://127.0.0.1:${webPort}/`);
    expect(out.secretNames).toEqual(["session-key", "api-key"]);
    // Both run the content ImageScan scanned, by image ID.
    const scanned = JSON.parse((await pulumi(["stack", "output", "imageScan", "--json"])).stdout) as {
      digest: string;
      passed: boolean;
    };
    expect(scanned).toMatchObject({ digest: imageId, passed: true });
    for (const name of out.containers)
      expect(await docker(["inspect", "--format", "{{.Image}}", name]), name).toBe(imageId);
    await expectHardenedServices(prefix, webPort);
  }, 420_000);

  it("the containers enforce from inside what they claim", async () => {
    const shown = JSON.parse((await pulumi(["stack", "output", "--json", "--show-secrets"])).stdout) as {
      secretValues: Record<string, string>;
    };
    const sessionKey = shown.secretValues["session-key"] ?? "";
    const apiKey = shown.secretValues["api-key"] ?? "";
    expect(sessionKey).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(apiKey).toMatch(/^[A-Za-z0-9]{24}$/);
    // Masked everywhere else: the plain stack output, and the state holds ciphertext only.
    expect((await pulumi(["stack", "output", "--json"])).stdout).not.toContain(sessionKey);
    const state = ws.stateFile("shipshape-yaml", STACK);
    expect(state).toMatch(/"ciphertext"/);
    expect(state.includes(sessionKey) || state.includes(apiKey)).toBe(false);
    await expectInContainerProofs(prefix, { sessionKey, apiKey });
  }, 120_000);

  it("a second up changes nothing", async () => {
    const up = await pulumi(["up", "--yes", "--skip-preview", "--policy-pack", POLICY_PACK]);
    expect(up.output).toMatch(/16 unchanged/);
    expect(up.output).not.toMatch(/ (created|updated|replaced|deleted)\b/);
    await pulumi(["preview", "--expect-no-changes"]);
  }, 420_000);

  it("destroy leaves nothing behind", async () => {
    const destroy = await pulumi(["destroy", "--yes", "--skip-preview"]);
    expect(destroy.output).toMatch(/- 16 deleted/);
    deployed = false;
    expect(await leftovers(prefix)).toEqual({ containers: [], networks: [], volumes: [] });
    const state = JSON.parse((await pulumi(["stack", "export"])).stdout) as {
      deployment: { resources?: unknown[] };
    };
    expect(state.deployment.resources ?? []).toEqual([]);
  }, 420_000);
});
