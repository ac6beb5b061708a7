import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditSeverity, type DaemonAuditOutputs } from "../../src/components/daemon-audit";
import { daemonAuditProvider } from "../../src/components/daemon-audit/provider";
import { secureDaemonConfig } from "../../src/daemon-config";
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
const provider = daemonAuditProvider;
const UNREACHABLE = "unix:///nonexistent/docker.sock";

describe("DaemonAudit provider without an engine", () => {
  it("check rejects a failOn that is not a severity", async () => {
    const result = await provider.check!({}, { failOn: "severe" });
    expect(result.failures).toEqual([expect.objectContaining({ property: "failOn" })]);
    expect((await provider.check!({}, { failOn: "high" })).failures).toEqual([]);
  });

  it("create fails the deployment with a clear message when the engine is unreachable", async () => {
    await expect(provider.create({ host: UNREACHABLE, failOn: AuditSeverity.High })).rejects.toThrow(
      /cannot reach the Docker engine at unix:\/\/\/nonexistent\/docker.sock/,
    );
  });

  it("diff reports a change, never a pass, when the engine has become unreachable", async () => {
    const olds = { host: UNREACHABLE, failOn: AuditSeverity.High, fingerprint: "x" } as DaemonAuditOutputs;
    expect(await provider.diff!("id", olds, { host: UNREACHABLE, failOn: AuditSeverity.High })).toMatchObject(
      {
        changes: true,
      },
    );
    expect(
      await provider.diff!("id", olds, { host: "unix:///other.sock", failOn: AuditSeverity.High }),
    ).toMatchObject({ changes: true, replaces: [] });
  });

  it("serializes with Pulumi's function serializer, capturing no client, schema or class", async () => {
    const serialized = await pulumi.runtime.serializeFunction(() => provider);
    expect(serialized.text).not.toMatch(/class |ZodType|new Docker\(|dockerode|extends /);
    // The live module is loaded by absolute path inside the methods.
    expect(serialized.text).toMatch(/src\/live\/index\.(ts|js)/);
    expect(serialized.text.length).toBeLessThan(20_000);
  });
});

describeDocker("DaemonAudit provider against a real engine", () => {
  let hardened: ScratchDaemon | undefined;
  let plain: ScratchDaemon | undefined;
  const dir = mkdtempSync(join(tmpdir(), "shipshape-daemon-audit-"));
  const container = uniqueName("shipshape-audit");

  beforeAll(async () => {
    await requireEngine();
    hardened = await startScratchDaemon(secureDaemonConfig().config);
    plain = await startScratchDaemon({});
    await importBusybox(hardened.socket, "shipshape-test/busybox:1");
  });
  afterAll(async () => {
    await hardened?.stop();
    await plain?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("create passes a hardened engine and carries the counts", async () => {
    const { id, outs } = await provider.create({
      host: `unix://${hardened!.socket}`,
      failOn: AuditSeverity.Medium,
    });
    expect(id).toMatch(/^daemon-audit-/);
    expect(outs.blocking).toBe(0);
    expect(outs.counts).toEqual(expect.objectContaining({ critical: 0, high: 0, medium: 0 }));
    expect(outs.total).toBe(outs.findings.length);
    expect(outs.serverVersion).toMatch(/^\d+\./);
  });

  it("create fails the deployment on a default daemon when findings reach failOn", async () => {
    await expect(
      provider.create({ host: `unix://${plain!.socket}`, failOn: AuditSeverity.Medium }),
    ).rejects.toThrow(/DaemonAudit: \d+ finding\(s\) at or above "medium"[\s\S]*daemon-icc/);
  });

  it("diff sees drift: a new privileged container makes the next up re-run the gate, which fails", async () => {
    const host = `unix://${hardened!.socket}`;
    const { outs } = await provider.create({ host, failOn: AuditSeverity.Critical });
    expect(await provider.diff!("id", outs, { host, failOn: AuditSeverity.Critical })).toMatchObject({
      changes: false,
    });
    await docker(hardened!.socket, [
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
      expect(await provider.diff!("id", outs, { host, failOn: AuditSeverity.Critical })).toMatchObject({
        changes: true,
      });
      await expect(provider.update!("id", outs, { host, failOn: AuditSeverity.Critical })).rejects.toThrow(
        /privileged-container/,
      );
    } finally {
      await docker(hardened!.socket, ["rm", "-f", container]);
    }
  });

  it("the serialized provider runs on its own in a fresh process", async () => {
    const serialized = await pulumi.runtime.serializeFunction(() => provider);
    const file = join(dir, "provider.js");
    writeFileSync(file, serialized.text);
    const script = `
      const handler = require(${JSON.stringify(file)}).${serialized.exportName}();
      handler.create({ host: ${JSON.stringify(`unix://${hardened!.socket}`)}, failOn: "high", containers: [] })
        .then((r) => process.stdout.write(JSON.stringify(r.outs)), (e) => { console.error(e.message); process.exit(3); });`;
    const { stdout } = await run(process.execPath, ["-e", script], { cwd: dir });
    const outs = JSON.parse(stdout) as DaemonAuditOutputs;
    expect(outs.blocking).toBe(0);
    expect(outs.counts.critical).toBe(0);
  });
});
