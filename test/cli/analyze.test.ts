/**
 * `shipshape analyze --container NAME` on the real engine: a CPU-bound container restarted and
 * exec'd into gives a resource profile at its CPU limit, its restart, exit code and exec session
 * from the engine's events (never the exec's arguments, which may hold a secret), and the live
 * audit's findings; a stopped container gives its exit and no profile; bad input is exit 2.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContainerAnalysis } from "../../src/analyze/analyze";
import { buildProbeImage, PROBE_IMAGE } from "../docker-engine/probe-image";
import { cliProcess, ensureBuilt, ROOT } from "./helpers";

const run = promisify(execFile);
const docker = async (args: string[]) => (await run("docker", args)).stdout.trim();
const BUSY = `ssan${process.pid}-busy`;
const DONE = `ssan${process.pid}-done`;
const SECRET = `s3cr3t-${process.pid}-token`;

describe("shipshape analyze on the real engine", () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    await buildProbeImage();
    dir = mkdtempSync(join(tmpdir(), "ssan-"));
    await docker([
      "run",
      "-d",
      "--name",
      BUSY,
      "--cpus",
      "0.5",
      "--memory",
      "64m",
      PROBE_IMAGE,
      "sh",
      "-c",
      "while :; do :; done",
    ]);
    await docker(["exec", BUSY, "sh", "-c", `true ${SECRET}`]);
    // sh as PID 1 ignores SIGTERM: the restart kills it (exit 137) and starts it again.
    await docker(["restart", "-t", "1", BUSY]);
    await docker(["run", "--name", DONE, PROBE_IMAGE, "sh", "-c", "exit 3"]).catch(() => undefined);
  }, 180_000);
  afterAll(async () => {
    await docker(["rm", "-f", BUSY, DONE]).catch(() => undefined);
    await docker(["rmi", PROBE_IMAGE]).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("profiles a running container and tells its life from the engine's events", async () => {
    const r = await cliProcess(["analyze", "--container", BUSY, "--window", "4s", "--format", "json"], ROOT);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout) as ContainerAnalysis;
    expect(a.container.name).toBe(BUSY);
    expect(a.container.running).toBe(true);
    const res = a.resources;
    expect(res, a.resourcesNote).toBeDefined();
    expect(res?.samples).toBeGreaterThanOrEqual(4);
    expect(res?.seconds).toBeGreaterThanOrEqual(3);
    // The busy loop is held at its 0.5 CPU limit: near 100 % of it.
    expect(res?.cpu.limitCpus).toBe(0.5);
    expect(res?.cpu.averagePercent).toBeGreaterThan(60);
    expect(res?.cpu.averagePercent).toBeLessThan(130);
    expect(res?.memory.limitBytes).toBe(64 * 1024 * 1024);
    expect(res?.memory.peakBytes).toBeGreaterThan(0);
    expect(res?.points.length).toBe((res?.samples ?? 0) - 1);
    const h = a.history;
    expect(h.restarts).toBeGreaterThanOrEqual(1);
    expect(h.exitCodes).toContain(137);
    expect(h.execs).toBe(1);
    expect(h.events.find((e) => e.action === "exec")?.detail).toBe("sh");
    // The exec's arguments never reach the report.
    expect(r.stdout).not.toContain(SECRET);
    const rules = a.findings.map((f) => f.rule);
    expect(rules).toEqual(
      expect.arrayContaining(["run-as-non-root", "read-only-root-filesystem", "pids-limit"]),
    );
    expect(rules).not.toContain("memory-limits");
  }, 60_000);

  it("prints the same facts as text, and --fail-on turns findings into exit 1", async () => {
    const out = join(dir, "busy.txt");
    const r = await cliProcess(
      ["analyze", "--container", BUSY, "--window", "2s", "--fail-on", "medium", "-o", out],
      ROOT,
    );
    expect(r.code, r.stderr).toBe(1);
    const text = (await run("cat", [out])).stdout;
    expect(text).toContain(`container ${BUSY}`);
    expect(text).toMatch(/cpu {12}average \d+(\.\d)? %, p95 [\d.]+ %, peak [\d.]+ % of its 0\.5 CPU limit/);
    expect(text).toMatch(/restarts [1-9]\d*, exits [1-9]\d* \(codes [^)]*137/);
    expect(text).toContain("exec sessions 1");
    expect(text).toMatch(/live audit: \d+ findings\n {2}(high|medium) /);
    expect(text).not.toContain(SECRET);
    const ok = await cliProcess(
      ["analyze", "--container", BUSY, "--window", "1s", "--fail-on", "critical"],
      ROOT,
    );
    expect(ok.code, ok.stderr).toBe(0);
  }, 60_000);

  it("reports a stopped container's exit and no resource profile", async () => {
    const r = await cliProcess(["analyze", "--container", DONE, "--format", "json"], ROOT);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout) as ContainerAnalysis;
    expect(a.container.running).toBe(false);
    expect(a.container.exitCode).toBe(3);
    expect(a.resources).toBeUndefined();
    expect(a.resourcesNote).toMatch(/not running \(exited\)/);
    expect(a.history.exitCodes).toContain(3);
  }, 60_000);

  it("names the bad option or the missing container, exit 2", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["--container", `ssan${process.pid}-nope`],
        /no container named "ssan\d+-nope" on unix:\/\/.*`docker ps -a`/,
      ],
      [["--container", BUSY, "--window", "soon"], /option '--window' "soon" is not a duration/],
      [["--container", BUSY, "--window", "2h"], /option '--window' "2h" is over 1h/],
      [
        ["--container", BUSY, "--format", "xml"],
        /option '--format' "xml" is not a format; give text or json/,
      ],
      [["--container", BUSY, "--fail-on", "urgent"], /option '--fail-on' "urgent" is not a severity/],
      [["--container", " "], /option '--container' is empty/],
    ];
    for (const [args, message] of cases) {
      const r = await cliProcess(["analyze", ...args], ROOT);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  }, 60_000);
});
