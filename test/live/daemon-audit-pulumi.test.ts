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
      `const { DaemonAuditCheck } = require(${JSON.stringify(join(REPO, "dist", "src", "components", "daemon-audit", "check"))});`,
      "const config = new pulumi.Config();",
      'const args = { host: config.require("host"), failOn: config.get("failOn") || "high" };',
      "// shape=check declares what version 0.1 declared: the check alone, at the top of the stack.",
      'const audit = config.get("shape") === "check" ? new DaemonAuditCheck("engine", args) : new DaemonAudit("engine", args);',
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
    // First as version 0.1 deployed it: the dynamic check alone.
    await pulumi(["config", "set", "shape", "check"]);
    const old = await pulumi(["up", "--yes", "--skip-preview"]);
    expect(old.code, `${old.stdout}\n${old.stderr}`).toBe(0);
    expect(old.stdout).toMatch(/\+ 2 created/);
    // Then as a component: the check moves under it by its alias, neither replaced nor re-run.
    await pulumi(["config", "set", "shape", "component"]);
    const preview = await pulumi(["preview", "--diff"]);
    expect(preview.code, `${preview.stdout}\n${preview.stderr}`).toBe(0);
    expect(preview.stdout).toMatch(/\+ 1 to create/);
    expect(preview.stdout).toMatch(/2 unchanged/);
    expect(preview.stdout).not.toMatch(/replace|to delete/);
    const up = await pulumi(["up", "--yes", "--skip-preview"]);
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stdout).toMatch(/\+ 1 created/);
    const outputs = JSON.parse((await pulumi(["stack", "output", "--json"])).stdout);
    expect(outputs.blocking).toBe(0);
    expect(outputs.counts).toMatchObject({ critical: 0, high: 0, medium: 0 });
    const again = await pulumi(["up", "--yes", "--skip-preview"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/3 unchanged/);
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
