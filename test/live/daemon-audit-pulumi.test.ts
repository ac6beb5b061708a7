/**
 * DaemonAudit in a real `pulumi up` (the toolchain scripts/pulumi-toolchain/build.sh builds, a local
 * file backend), against a scratch dockerd with the generated daemon.json. Fails when the toolchain
 * or the engine is missing (run scripts/setup.sh) unless SHIPSHAPE_SKIP_PULUMI=1 / SHIPSHAPE_SKIP_DOCKER=1.
 */
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { secureDaemonConfig } from "../../src/daemon-config";
import { ensureBuilt } from "../cli/helpers";
import { PulumiWorkspace, REPO, requireBinaries, skipPulumi } from "../e2e/pulumi-cli";
import {
  describeDocker,
  docker,
  importBusybox,
  requireEngine,
  type ScratchDaemon,
  startScratchDaemon,
  uniqueName,
} from "./engine-helpers";

const describeE2e = (skipPulumi ? describeDocker.skip : describeDocker) as typeof describeDocker;

describeE2e("DaemonAudit in a real pulumi up", () => {
  let daemon: ScratchDaemon | undefined;
  let ws: PulumiWorkspace | undefined;
  let prog = "";
  const container = uniqueName("shipshape-e2e-priv");

  const pulumi = (args: string[]) => (ws as PulumiWorkspace).pulumi(args, prog);

  beforeAll(async () => {
    requireBinaries(["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]);
    await requireEngine();
    // The program loads the compiled package, as a user's program would.
    await ensureBuilt();
    daemon = await startScratchDaemon(secureDaemonConfig().config);
    await importBusybox(daemon.socket, "shipshape-test/busybox:1");
    ws = new PulumiWorkspace("daemon-audit-e2e");
    prog = ws.stageScript("daemon-audit-e2e", [
      'const pulumi = require("@pulumi/pulumi");',
      `const { DaemonAudit } = require(${JSON.stringify(join(REPO, "dist", "src"))});`,
      "const config = new pulumi.Config();",
      'const audit = new DaemonAudit("engine", { host: config.require("host"), failOn: config.get("failOn") || "high" });',
      "exports.counts = audit.counts;",
      "exports.total = audit.total;",
      "exports.blocking = audit.blocking;",
    ]);
    const init = await pulumi(["stack", "init", "dev"]);
    expect(init.code, init.stderr).toBe(0);
  });

  afterAll(async () => {
    if (prog) {
      await pulumi(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
      await pulumi(["stack", "rm", "--yes", "--force", "dev"]).catch(() => undefined);
    }
    await daemon?.stop();
    ws?.dispose();
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
