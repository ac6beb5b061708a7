/**
 * The Pulumi toolchain that scripts/pulumi-toolchain/build.sh builds from Go sources: the CLI, the
 * Node.js language host and the resource plugins, driven for real against a local file backend.
 *
 * Fails (telling you to run scripts/setup.sh) when the binaries are missing, unless
 * SHIPSHAPE_SKIP_PULUMI=1.
 */
import { execFile } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PULUMI_BIN, REPO, skipPulumi } from "./pulumi-cli";

const run = promisify(execFile);
const repo = REPO;
const binDir = PULUMI_BIN;
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
  "pulumi-resource-pulumi-nodejs",
  "pulumi-resource-random",
  "pulumi-resource-tls",
];

describe.skipIf(skip)("pulumi toolchain built from Go sources", () => {
  let manifest: Manifest;
  let work: string;
  let env: NodeJS.ProcessEnv;

  const pulumi = async (args: string[], cwd: string, timeout = 120_000) => {
    try {
      return await run(join(binDir, "pulumi"), args, { cwd, env, timeout, maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`pulumi ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
    }
  };

  beforeAll(() => {
    const missing = required.filter((b) => !existsSync(join(binDir, b)));
    if (missing.length > 0 || !existsSync(manifestPath)) {
      throw new Error(
        `Pulumi toolchain missing in ${binDir} (${missing.join(", ") || "manifest.json"}): run scripts/setup.sh ` +
          "(or set SHIPSHAPE_SKIP_PULUMI=1 to skip these tests)",
      );
    }
    manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    work = mkdtempSync(join(tmpdir(), "shipshape-toolchain-"));
    mkdirSync(join(work, "state"));
    mkdirSync(join(work, "home"));
    env = {
      ...process.env,
      PATH: [binDir, dirname(process.execPath), process.env.PATH ?? ""].join(delimiter),
      PULUMI_HOME: join(work, "home"),
      PULUMI_BACKEND_URL: `file://${join(work, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "test",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("pulumi version matches the @pulumi/pulumi pin", async () => {
    const { stdout } = await pulumi(["version"], repo);
    expect(stdout.trim()).toBe(`v${expectedCliVersion(manifest)}`);
  });

  it("every plugin was built for the npm package version in package.json", () => {
    const pins: Record<string, string> = {
      "language-nodejs": "@pulumi/pulumi",
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

  it("deploys, re-deploys without changes and destroys a random + tls program", async () => {
    const prog = join(work, "prog");
    mkdirSync(prog);
    symlinkSync(join(repo, "node_modules"), join(prog, "node_modules"), "dir");
    writeFileSync(join(prog, "Pulumi.yaml"), "name: toolchain-e2e\nruntime: nodejs\n");
    writeFileSync(join(prog, "package.json"), JSON.stringify({ name: "toolchain-e2e", main: "index.js" }));
    writeFileSync(
      join(prog, "index.js"),
      [
        'const random = require("@pulumi/random");',
        'const tls = require("@pulumi/tls");',
        'const pet = new random.RandomPet("pet", { length: 2, separator: "-" });',
        'const key = new tls.PrivateKey("key", { algorithm: "ED25519" });',
        "exports.petName = pet.id;",
        "exports.publicKey = key.publicKeyOpenssh;",
      ].join("\n"),
    );

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
    const { PULUMI_HOME: _testHome, ...callerEnv } = env;
    if (process.env.PULUMI_HOME) callerEnv.PULUMI_HOME = process.env.PULUMI_HOME;
    const { stdout } = await run(join(binDir, "pulumi"), ["plugin", "ls"], { env: callerEnv, cwd: repo });
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
