/**
 * Drives the real Pulumi CLI (built by scripts/pulumi-toolchain/build.sh) against a per-suite
 * local file backend with a passphrase secrets provider. Programs are staged in a temporary
 * directory (their own Pulumi.yaml, the entry file and node_modules as symlinks), so stack config
 * files never land in the repository and parallel runs never share a stack.
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
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const REPO = resolve(__dirname, "../..");
export const POLICY_PACK = join(REPO, "policy");
const cacheDir =
  process.env.SHIPSHAPE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "shipshape");
export const PULUMI_BIN = join(cacheDir, "pulumi", "bin");
/**
 * What goes on PATH: links to the CLI and the plugins it bundles only. The resource plugins are
 * found where build.sh registered them (`pulumi plugin install`), never on PATH, so the engine has
 * no ambient plugin to warn about (see scripts/env.sh).
 */
export const PULUMI_PATH_DIR = join(cacheDir, "pulumi", "path");
/** The plugin cache build.sh registers the resource plugins in: the caller's PULUMI_HOME. */
export const PULUMI_PLUGINS = join(process.env.PULUMI_HOME ?? join(homedir(), ".pulumi"), "plugins");

/** SHIPSHAPE_SKIP_PULUMI=1 is the only way to skip these tests; anything missing otherwise fails. */
export const skipPulumi = process.env.SHIPSHAPE_SKIP_PULUMI === "1";

const REQUIRED = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-random", "pulumi-resource-docker"];

/** Throws, naming the missing binaries and how to get them, unless all of `names` are in PULUMI_BIN. */
export function requireBinaries(names: readonly string[]): void {
  const missing = names.filter((b) => !existsSync(join(PULUMI_BIN, b)));
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(", ")} missing in ${PULUMI_BIN}: run scripts/setup.sh (or set SHIPSHAPE_SKIP_PULUMI=1 to skip these tests)`,
    );
  }
}

/** Throws, naming what is missing and how to get it, unless everything the e2e tests drive is present. */
export async function requireToolchain(): Promise<void> {
  requireBinaries(REQUIRED);
  for (const path of [
    join(PULUMI_PATH_DIR, "pulumi"),
    join(PULUMI_PLUGINS, "resource-docker-v" + npmVersion("@pulumi/docker")),
  ]) {
    if (!existsSync(path)) {
      throw new Error(
        `${path} missing (scripts/pulumi-toolchain/build.sh links the CLI there and registers the plugins): run scripts/setup.sh (or set SHIPSHAPE_SKIP_PULUMI=1 to skip these tests)`,
      );
    }
  }
  if (!existsSync(join(REPO, "dist", "src", "index.js"))) {
    throw new Error("the policy pack loads the built library (dist/), which is missing: run npm run build");
  }
  try {
    await run("docker", ["version", "--format", "{{.Server.Version}}"]);
  } catch (e) {
    throw new Error(
      `Docker engine unreachable (${(e as Error).message.split("\n")[0]}): run scripts/setup.sh (or set SHIPSHAPE_SKIP_PULUMI=1)`,
    );
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together: everything the engine printed. */
  output: string;
}

/** The version of an installed npm package (what its SDK asks the engine for). */
function npmVersion(pkg: string): string {
  return (
    JSON.parse(readFileSync(join(REPO, "node_modules", pkg, "package.json"), "utf8")) as { version: string }
  ).version;
}

/** A scratch backend, Pulumi home and program directories, removed by `dispose`. */
export class PulumiWorkspace {
  readonly dir: string;
  readonly stateDir: string;
  readonly passphrase = `e2e-passphrase-${process.pid}`;
  /** The environment `pulumi` runs with: the built toolchain first on PATH, this backend. */
  readonly env: NodeJS.ProcessEnv;

  constructor(label: string) {
    this.dir = mkdtempSync(join(tmpdir(), `shipshape-${label}-`));
    this.stateDir = join(this.dir, "state");
    mkdirSync(this.stateDir);
    mkdirSync(join(this.dir, "home"));
    // The registered plugins, shared read-only with this scratch home.
    symlinkSync(PULUMI_PLUGINS, join(this.dir, "home", "plugins"), "dir");
    const inherited = (process.env.PATH ?? "").split(delimiter).filter((p) => resolve(p) !== PULUMI_BIN);
    this.env = {
      ...process.env,
      PATH: [PULUMI_PATH_DIR, dirname(process.execPath), ...inherited].join(delimiter),
      PULUMI_HOME: join(this.dir, "home"),
      PULUMI_BACKEND_URL: `file://${this.stateDir}`,
      PULUMI_CONFIG_PASSPHRASE: this.passphrase,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
  }

  /**
   * Stages a program: `entry` (a TypeScript file in the repository, symlinked so its relative
   * imports and node_modules resolve from where it lives) under a Pulumi.yaml that runs it with tsx.
   */
  stage(project: string, entry: string): string {
    const dir = join(this.dir, project);
    mkdirSync(dir);
    symlinkSync(entry, join(dir, "index.ts"));
    symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
    writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: project, private: true })}\n`);
    writeFileSync(
      join(dir, "Pulumi.yaml"),
      [
        `name: ${project}`,
        "runtime:",
        "  name: nodejs",
        "  options:",
        "    typescript: false",
        "    nodeargs: --import tsx",
        "main: index.ts",
        "",
      ].join("\n"),
    );
    return dir;
  }

  /**
   * Stages a plain JavaScript program (`index.js` of `lines`) that loads packages from the
   * repository's node_modules, as a user's compiled program would.
   */
  stageScript(project: string, lines: readonly string[]): string {
    const dir = join(this.dir, project);
    mkdirSync(dir);
    symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"), "dir");
    writeFileSync(join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: project, main: "index.js" }));
    writeFileSync(join(dir, "index.js"), `${lines.join("\n")}\n`);
    return dir;
  }

  /** Runs `pulumi ARGS` in `cwd`; never throws on a non-zero exit (the caller asserts on it). */
  async pulumi(args: string[], cwd: string, timeout = 240_000): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run(join(PULUMI_BIN, "pulumi"), [...args, "--non-interactive"], {
        cwd,
        env: this.env,
        timeout,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr, output: `${stdout}\n${stderr}` };
    } catch (err) {
      const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
      if (typeof e.code !== "number") throw new Error(`pulumi ${args.join(" ")}: ${e.message}`);
      const stdout = e.stdout ?? "";
      const stderr = e.stderr ?? "";
      return { code: e.code, stdout, stderr, output: `${stdout}\n${stderr}` };
    }
  }

  /** Like `pulumi`, but a non-zero exit is an error showing what the engine said. */
  async pulumiOk(args: string[], cwd: string, timeout?: number): Promise<CliResult> {
    const result = await this.pulumi(args, cwd, timeout);
    if (result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.output}`);
    }
    return result;
  }

  /** The checkpoint file of a stack in the file backend (what `pulumi up` wrote). */
  stateFile(project: string, stack: string): string {
    return readFileSync(join(this.stateDir, ".pulumi", "stacks", project, `${stack}.json`), "utf8");
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface PolicyViolation {
  level: string;
  severity: string;
  policy: string;
  resourceType: string;
  resourceName: string;
}

/** The violations the engine lists under "Policies:" (`- [mandatory] [severity: high]  id  (type: name)`). */
export function policyViolations(output: string): PolicyViolation[] {
  const line =
    /^\s*- \[(mandatory|advisory|remediate)\] (?:\[severity: (\w+)\]\s+)?(\S+)\s+\(([^:\s]+(?::[^:\s]+)*): (.+)\)\s*$/gm;
  return [...output.matchAll(line)].map((m) => ({
    level: m[1] ?? "",
    severity: m[2] ?? "",
    policy: m[3] ?? "",
    resourceType: m[4] ?? "",
    resourceName: m[5] ?? "",
  }));
}

/** A TCP port nothing listens on right now (for a published host port). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** `docker ARGS`, trimmed stdout. */
export async function docker(args: string[]): Promise<string> {
  const { stdout } = await run("docker", args, { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** The names of the engine's containers (running or not) whose names start with `prefix`. */
export async function containersNamed(prefix: string): Promise<string[]> {
  const out = await docker(["ps", "-a", "--filter", `name=^${prefix}`, "--format", "{{.Names}}"]);
  return out ? out.split("\n") : [];
}
