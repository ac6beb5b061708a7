/**
 * scripts/hardened-engine.sh, the main job's engine, for real: a second dockerd with the
 * daemon.json `shipshape daemon-config` writes, in a network namespace of its own. Every path it
 * owns (socket, data root, exec root, config, log, namespace) is this run's own, never the main
 * job's. Fails when dockerd or the engine is missing (run scripts/setup.sh) unless
 * SHIPSHAPE_SKIP_DOCKER=1.
 */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEngine } from "../../src/live";
import { describeDocker, docker, importBusybox, requireEngine, uniqueName } from "./engine-helpers";

const run = promisify(execFile);
const SCRIPT = resolve(__dirname, "../../scripts/hardened-engine.sh");

describeDocker("scripts/hardened-engine.sh", () => {
  const base = mkdtempSync(join(tmpdir(), "shipshape-engine-"));
  const socket = join(base, "docker.sock");
  const netns = uniqueName("shipshape-e2e").slice(0, 40);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SHIPSHAPE_ENGINE_SOCKET: socket,
    SHIPSHAPE_ENGINE_DATA_ROOT: join(base, "data"),
    SHIPSHAPE_ENGINE_EXEC_ROOT: join(base, "exec"),
    SHIPSHAPE_ENGINE_NETNS: netns,
    SHIPSHAPE_ENGINE_CONF_DIR: join(base, "conf"),
    SHIPSHAPE_LOG_DIR: join(base, "logs"),
  };
  const script = (action: string) => run("bash", [SCRIPT, action], { env, timeout: 120_000 });
  const pid = () => readFileSync(join(base, "exec.pid"), "utf8").trim();

  beforeAll(async () => {
    await requireEngine();
    // The remapped root must be able to traverse into the data root below it.
    chmodSync(base, 0o755);
    await script("start");
  }, 180_000);

  afterAll(async () => {
    try {
      await script("purge");
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }, 180_000);

  it("starts dockerd with shipshape's daemon.json, in a network namespace of its own", async () => {
    const info = JSON.parse(await docker(socket, ["info", "--format", "{{json .}}"]));
    expect(info.SecurityOptions).toEqual(expect.arrayContaining(["name=userns"]));
    expect(info.LiveRestoreEnabled).toBe(true);
    const config = JSON.parse(readFileSync(join(base, "conf", "daemon.json"), "utf8"));
    expect(config).toMatchObject({ icc: false, "userns-remap": "default", "no-new-privileges": true });
    expect(readFileSync(join(base, "conf", "daemon.json.explained"), "utf8")).toMatch(/userns-remap/);
    // Its own iptables, so it never rewrites the default engine's chains.
    expect(existsSync(`/run/netns/${netns}`)).toBe(true);
    expect(readlinkSync(`/proc/${pid()}/ns/net`)).not.toBe(readlinkSync("/proc/self/ns/net"));
  });

  it("a second start leaves the running dockerd alone", async () => {
    const before = pid();
    const { stdout } = await script("start");
    expect(stdout).toBe("");
    expect(pid()).toBe(before);
  });

  it("its daemon audits with two low findings only, and its containers share no user namespace with the host", async () => {
    await importBusybox(socket, "shipshape-test/busybox:1");
    const name = uniqueName("hardened-engine");
    await docker(socket, ["run", "-d", "--name", name, "--network", "none", "shipshape-test/busybox:1"]);
    // The remapped root: uid 0 inside is an unprivileged uid outside.
    const uidMap = (await docker(socket, ["exec", name, "cat", "/proc/self/uid_map"])).trim().split(/\s+/);
    expect(uidMap[0]).toBe("0");
    expect(Number(uidMap[1])).toBeGreaterThan(0);

    const { findings, snapshot } = await auditEngine({ host: `unix://${socket}`, containers: [name] });
    expect(snapshot.workloads.map((w) => w.hostUsers)).toEqual([false]);
    expect(findings.filter((f) => f.ruleId === "host-user-namespace")).toEqual([]);
    const daemon = findings.filter((f) => f.object.startsWith("daemon "));
    expect(daemon.map((f) => `${f.ruleId} ${f.severity}`).sort()).toEqual([
      "daemon-authorization-plugin low",
      "daemon-remote-logging low",
    ]);
  }, 120_000);

  it("purge removes dockerd, its data, its namespace and its config", async () => {
    await script("purge");
    for (const path of [
      socket,
      join(base, "data"),
      join(base, "exec"),
      join(base, "conf"),
      `/run/netns/${netns}`,
    ]) {
      expect(existsSync(path), path).toBe(false);
    }
    const mounts = readFileSync("/proc/self/mountinfo", "utf8")
      .split("\n")
      .filter((l) => l.includes(base));
    expect(mounts).toEqual([]);
  }, 120_000);
});
