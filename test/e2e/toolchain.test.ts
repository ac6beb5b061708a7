/**
 * The Pulumi toolchain that scripts/pulumi-toolchain/build.sh builds from Go sources: the CLI, the
 * Node.js language host and the resource plugins, driven for real against a local file backend.
 *
 * Fails (telling you to run scripts/setup.sh) when the binaries are missing, unless
 * SHIPSHAPE_SKIP_PULUMI=1.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PULUMI_BIN, PulumiWorkspace, REPO, requireBinaries, skipPulumi } from "./pulumi-cli";

const run = promisify(execFile);
const repo = REPO;
const manifestPath = join(dirname(PULUMI_BIN), "manifest.json");
const skip = skipPulumi;

interface Manifest {
  bin: string;
  components: Record<string, { wanted: string; built: string; note: string }>;
  blocked: Record<string, { wanted: string; reason: string }>;
}

function pinnedVersion(pkg: string): string {
  const json = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const spec = json.dependencies?.[pkg] ?? json.devDependencies?.[pkg];
  if (!spec) throw new Error(`${pkg} is not in package.json`);
  return spec.replace(/^[~^=v]+/, "");
}

/** The version the CLI was built at: package.json's, or the fallback build.sh recorded and pinned. */
function expectedCliVersion(manifest: Manifest): string {
  const wanted = pinnedVersion("@pulumi/pulumi");
  const cli = manifest.components.cli;
  if (!cli) throw new Error("manifest has no cli entry: run scripts/setup.sh");
  expect(cli.wanted, "the CLI was built for another @pulumi/pulumi version: run scripts/setup.sh").toBe(
    wanted,
  );
  if (cli.built === wanted) return wanted;
  // A fallback is only acceptable when it is the pin in cli/go.mod and build.sh said why.
  const gomod = readFileSync(join(repo, "scripts/pulumi-toolchain/cli/go.mod"), "utf8");
  expect(gomod).toContain(`github.com/pulumi/pulumi/pkg/v3 v${cli.built}`);
  expect(cli.note).toMatch(/not on the Go module proxy/);
  return cli.built;
}

const required = [
  "pulumi",
  "pulumi-language-nodejs",
  "pulumi-language-yaml",
  "pulumi-language-python",
  "pulumi-resource-pulumi-nodejs",
  "pulumi-resource-random",
  "pulumi-resource-tls",
];

describe.skipIf(skip)("pulumi toolchain built from Go sources", () => {
  let manifest: Manifest;
  let ws: PulumiWorkspace | undefined;

  const pulumi = async (args: string[], cwd: string, timeout = 120_000) =>
    (ws as PulumiWorkspace).pulumiOk(args, cwd, timeout);

  beforeAll(() => {
    requireBinaries(required);
    if (!existsSync(manifestPath)) {
      throw new Error(
        `${manifestPath} missing: run scripts/setup.sh (or set SHIPSHAPE_SKIP_PULUMI=1 to skip these tests)`,
      );
    }
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    ws = new PulumiWorkspace("toolchain");
  });

  afterAll(() => ws?.dispose());

  it("pulumi version matches the @pulumi/pulumi pin", async () => {
    const { stdout } = await pulumi(["version"], repo);
    expect(stdout.trim()).toBe(`v${expectedCliVersion(manifest)}`);
  });

  it("every plugin was built for the npm package version in package.json", () => {
    const pins: Record<string, string> = {
      "language-nodejs": "@pulumi/pulumi",
      "language-python": "@pulumi/pulumi",
      random: "@pulumi/random",
      tls: "@pulumi/tls",
      docker: "@pulumi/docker",
      kubernetes: "@pulumi/kubernetes",
    };
    for (const [component, pkg] of Object.entries(pins)) {
      const entry = manifest.components[component] ?? manifest.blocked[component];
      expect(entry, `${component} is neither built nor reported blocked: run scripts/setup.sh`).toBeDefined();
      expect(entry?.wanted, `${component} was built for another ${pkg}: run scripts/setup.sh`).toBe(
        pinnedVersion(pkg),
      );
    }
  });

  it("builds pulumi-language-yaml at the pulumi-yaml release its wrapper module pins", () => {
    const gomod = readFileSync(join(repo, "scripts/pulumi-toolchain/language-yaml/go.mod"), "utf8");
    const pinned = /^require github\.com\/pulumi\/pulumi-yaml v(\S+)$/m.exec(gomod)?.[1];
    expect(pinned).toBe("1.25.0");
    expect(
      manifest.components["language-yaml"],
      "language-yaml is not built: run scripts/setup.sh",
    ).toMatchObject({
      wanted: pinned,
      built: pinned,
    });
  });

  it("deploys, re-deploys without changes and destroys a random + tls program", async () => {
    const prog = (ws as PulumiWorkspace).stageScript("toolchain-e2e", [
      'const random = require("@pulumi/random");',
      'const tls = require("@pulumi/tls");',
      'const pet = new random.RandomPet("pet", { length: 2, separator: "-" });',
      'const key = new tls.PrivateKey("key", { algorithm: "ED25519" });',
      "exports.petName = pet.id;",
      "exports.publicKey = key.publicKeyOpenssh;",
    ]);

    await pulumi(["stack", "init", "dev"], prog);
    const first = await pulumi(["up", "--yes", "--skip-preview"], prog);
    expect(first.stdout).toMatch(/\+ 3 created/);

    const outputs = JSON.parse((await pulumi(["stack", "output", "--json"], prog)).stdout) as Record<
      string,
      string
    >;
    expect(outputs.petName).toMatch(/^[a-z]+-[a-z]+$/);
    expect(outputs.publicKey).toMatch(/^ssh-ed25519 /);

    const second = await pulumi(["up", "--yes", "--skip-preview"], prog);
    expect(second.stdout).toMatch(/3 unchanged/);
    expect(second.stdout).not.toMatch(/created|updated|replaced|deleted/);
    await pulumi(["preview", "--expect-no-changes"], prog);

    const destroyed = await pulumi(["destroy", "--yes", "--skip-preview"], prog);
    expect(destroyed.stdout).toMatch(/- 3 deleted/);
    await pulumi(["stack", "rm", "--yes", "dev"], prog);
  }, 180_000);

  it("registers the resource plugins with the engine", async () => {
    // build.sh registers into the caller's PULUMI_HOME (default ~/.pulumi), not the test's own.
    const { PULUMI_HOME: _testHome, ...callerEnv } = (ws as PulumiWorkspace).env;
    if (process.env.PULUMI_HOME) callerEnv.PULUMI_HOME = process.env.PULUMI_HOME;
    const { stdout } = await run(join(PULUMI_BIN, "pulumi"), ["plugin", "ls"], { env: callerEnv, cwd: repo });
    for (const name of ["random", "tls", "docker", "kubernetes"]) {
      const built = manifest.components[name];
      if (!built) {
        // Reported, with its reason, by build.sh and docs/pulumi-toolchain.md.
        expect(manifest.blocked[name]?.reason, `${name} is neither built nor reported blocked`).toBeTruthy();
        continue;
      }
      expect(stdout).toMatch(
        new RegExp(`^${name}\\s+resource\\s+${built.built.replace(/\./g, "\\.")}\\b`, "m"),
      );
    }
  });
});
