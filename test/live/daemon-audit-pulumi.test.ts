/**
 * DaemonAudit in a real `pulumi up` (the toolchain scripts/pulumi-toolchain/build.sh builds, a local
 * file backend), against a scratch dockerd with the generated daemon.json. Fails when the toolchain
 * or the engine is missing (run scripts/setup.sh) unless SHIPSHAPE_SKIP_PULUMI=1 / SHIPSHAPE_SKIP_DOCKER=1.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { secureDaemonConfig } from "../../src/daemon-config";
import { ensureBuilt } from "../cli/helpers";
import { PULUMI_BIN, REPO, skipPulumi } from "../e2e/pulumi-cli";
import {
  describeDocker,
  docker,
  importBusybox,
  requireEngine,
  type ScratchDaemon,
  startScratchDaemon,
  uniqueName,
} from "./engine-helpers";

const run = promisify(execFile);
const repo = REPO;
const binDir = PULUMI_BIN;

const describeE2e = (skipPulumi ? describeDocker.skip : describeDocker) as typeof describeDocker;

interface PulumiRun {
  code: number;
  stdout: string;
  stderr: string;
}

describeE2e("DaemonAudit in a real pulumi up", () => {
  let daemon: ScratchDaemon | undefined;
  let work = "";
  let prog = "";
  let env: NodeJS.ProcessEnv = {};
  const container = uniqueName("shipshape-e2e-priv");

  const pulumi = async (args: string[]): Promise<PulumiRun> => {
    try {
      const { stdout, stderr } = await run(join(binDir, "pulumi"), args, {
        cwd: prog,
        env,
        timeout: 240_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      if (typeof e.code !== "number") throw error;
      return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  };

  beforeAll(async () => {
    for (const bin of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
      if (!existsSync(join(binDir, bin))) {
        throw new Error(
          `Pulumi toolchain missing in ${binDir} (${bin}): run scripts/setup.sh (or set SHIPSHAPE_SKIP_PULUMI=1 to skip)`,
        );
      }
    }
    await requireEngine();
    // The program loads the compiled package, as a user's program would.
    await ensureBuilt();
    daemon = await startScratchDaemon(secureDaemonConfig().config);
    await importBusybox(daemon.socket, "shipshape-test/busybox:1");
    work = mkdtempSync(join(tmpdir(), "shipshape-daemon-audit-e2e-"));
    prog = join(work, "prog");
    mkdirSync(prog);
    mkdirSync(join(work, "state"));
    mkdirSync(join(work, "home"));
    symlinkSync(join(repo, "node_modules"), join(prog, "node_modules"), "dir");
    writeFileSync(join(prog, "Pulumi.yaml"), "name: daemon-audit-e2e\nruntime: nodejs\n");
    writeFileSync(join(prog, "package.json"), JSON.stringify({ name: "daemon-audit-e2e", main: "index.js" }));
    writeFileSync(
      join(prog, "index.js"),
      [
        'const pulumi = require("@pulumi/pulumi");',
        `const { DaemonAudit } = require(${JSON.stringify(join(repo, "dist", "src"))});`,
        "const config = new pulumi.Config();",
        'const audit = new DaemonAudit("engine", { host: config.require("host"), failOn: config.get("failOn") || "high" });',
        "exports.counts = audit.counts;",
        "exports.total = audit.total;",
        "exports.blocking = audit.blocking;",
      ].join("\n"),
    );
    env = {
      ...process.env,
      PATH: [binDir, dirname(process.execPath), process.env.PATH ?? ""].join(delimiter),
      PULUMI_HOME: join(work, "home"),
      PULUMI_BACKEND_URL: `file://${join(work, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: "test",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    };
    const init = await pulumi(["stack", "init", "dev"]);
    expect(init.code, init.stderr).toBe(0);
  });

  afterAll(async () => {
    if (prog) {
      await pulumi(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
      await pulumi(["stack", "rm", "--yes", "--force", "dev"]).catch(() => undefined);
    }
    await daemon?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("passes a hardened engine, carries the counts, and a second up changes nothing", async () => {
    await pulumi(["config", "set", "host", `unix://${daemon!.socket}`]);
    await pulumi(["config", "set", "failOn", "medium"]);
    const up = await pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toMatch(/\+ 2 created/);
    const outputs = JSON.parse((await pulumi(["stack", "output", "--json"])).stdout);
    expect(outputs.blocking).toBe(0);
    expect(outputs.counts).toMatchObject({ critical: 0, high: 0, medium: 0 });
    const again = await pulumi(["up", "--yes", "--skip-preview"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/2 unchanged/);
  });

  it("fails the deployment when a privileged container appears", async () => {
    await pulumi(["config", "set", "failOn", "critical"]);
    await docker(daemon!.socket, [
      "run",
      "-d",
      "--name",
      container,
      "--privileged",
      "--user",
      "1000",
      "--userns",
      "host",
      "--network",
      "none",
      "shipshape-test/busybox:1",
    ]);
    try {
      const up = await pulumi(["up", "--yes", "--skip-preview"]);
      expect(up.code).not.toBe(0);
      expect(`${up.stdout}\n${up.stderr}`).toMatch(/DaemonAudit: \d+ finding\(s\) at or above "critical"/);
      expect(`${up.stdout}\n${up.stderr}`).toMatch(/privileged-container/);
    } finally {
      await docker(daemon!.socket, ["rm", "-f", container]);
    }
  });

  it("fails the deployment when the engine is unreachable", async () => {
    await pulumi(["config", "set", "host", "unix:///nonexistent/docker.sock"]);
    const up = await pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code).not.toBe(0);
    expect(`${up.stdout}\n${up.stderr}`).toMatch(
      /cannot reach the Docker engine at unix:\/\/\/nonexistent\/docker.sock/,
    );
  });
});
