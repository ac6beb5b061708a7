/**
 * ObservabilityStack through the real Pulumi CLI on a hardened engine of this test's own
 * (scripts/hardened-engine.sh: userns-remap, its metrics on the default bridge's gateway, the
 * exporter's group granted its socket): the policy pack passes it at preview; after `up` every
 * scrape target is up and every rule loaded (Prometheus's HTTP API); a container burning CPU
 * makes Prometheus fire and Alertmanager deliver, within a bound, to `shipshape alerts receive` on
 * the engine's host, which runs a command with the alert;
 * the stack's own containers audit clean; a second `up` changes nothing; `destroy` leaves nothing.
 * Fails when the toolchain or the engine is missing, unless SHIPSHAPE_SKIP_PULUMI=1.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlertName } from "../../src/observability/rules";
import { ensureBuilt } from "../cli/helpers";
import { eventually, privateEngine } from "../live/private-engine";
import { RECORDER } from "../watch/watch-helpers";
import {
  freePort,
  POLICY_PACK,
  PulumiWorkspace,
  policyViolations,
  REPO,
  requireToolchain,
  skipPulumi,
} from "./pulumi-cli";

const run = promisify(execFile);
const id = `ss18-o${process.pid}`;
const PROJECT = "ss18-observability";
const STACK = "e2e";
const engine = privateEngine(id);
const { socket, host } = engine;
const docker = async (args: string[]) =>
  (await run("docker", ["-H", host, ...args], { maxBuffer: 16 * 1024 * 1024 })).stdout.trim();

interface Alert {
  status: string;
  alertname: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/**
 * `shipshape alerts receive` on the engine's host, in the engine's network namespace, listening on
 * the monitoring network's gateway (what the stack's internal network reaches), running the test's
 * recorder once per alert: the command route, end to end.
 */
function startReceiver(listen: string, file: string): ChildProcess {
  return spawn(
    "ip",
    [
      "netns",
      "exec",
      id,
      process.execPath,
      join(REPO, "dist", "src", "cli", "main.js"),
      "alerts",
      "receive",
      "--listen",
      listen,
      "--alert-command",
      process.execPath,
      "--alert-arg",
      RECORDER,
      "--alert-arg",
      file,
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
}

/** The alerts the recorder wrote. */
function received(file: string): Alert[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { alert: Alert }).alert);
}

describe.skipIf(skipPulumi)("ObservabilityStack on a hardened engine (real CLI, real Prometheus)", () => {
  const prefix = id;
  const burner = `${id}-burn`;
  let ws: PulumiWorkspace;
  let dir: string;
  let receiver: ChildProcess | undefined;
  let receiverPort = 0;
  const recorded = join(tmpdir(), `${id}-alerts.jsonl`);
  let tags: string[] = [];
  const stack = (args: string[], timeout?: number) => ws.pulumiOk([...args, "--stack", STACK], dir, timeout);
  const prometheus = async <T>(path: string): Promise<T> =>
    JSON.parse(
      await docker([
        "exec",
        `${prefix}-prometheus`,
        "/bin/wget",
        "-q",
        "-O",
        "-",
        `http://127.0.0.1:9090${path}`,
      ]),
    ) as T;

  beforeAll(async () => {
    await requireToolchain();
    await ensureBuilt();
    await engine.control("start");
    const images = join(REPO, "scripts", "images", "observability-images.sh");
    await run("bash", [images, "--host", host, "--prefix", id], { timeout: 300_000 });
    tags = (await run("bash", [images, "--prefix", id, "--print-tags"])).stdout.trim().split("\n");
    const tag = (part: string) => tags.find((t) => t.startsWith(`${id}/${part}:`)) as string;
    receiverPort = await freePort();
    ws = new PulumiWorkspace("ss18-observability");
    dir = ws.stage(PROJECT, join(REPO, "test/e2e/programs/observability.ts"));
    await ws.pulumiOk(["stack", "init", STACK], dir);
    const config: Record<string, string> = {
      prefix,
      prometheusImage: tag("prometheus"),
      alertmanagerImage: tag("alertmanager"),
      exporterImage: tag("engine-exporter"),
      nodeExporterImage: tag("node-exporter"),
      socketPath: socket,
      receiverPort: String(receiverPort),
      cpuPercent: "50",
      "docker:host": host,
    };
    for (const [k, v] of Object.entries(config)) await stack(["config", "set", k, v]);
  }, 600_000);

  afterAll(async () => {
    receiver?.kill();
    rmSync(recorded, { force: true });
    if (ws) {
      await ws.pulumi(["destroy", "--yes", "--skip-preview", "--stack", STACK], dir).catch(() => undefined);
      ws.dispose();
    }
    await engine.control("purge").catch(() => undefined);
  }, 300_000);

  it("passes the policy pack at preview: no mandatory violation", async () => {
    const preview = await stack(["preview", "--policy-pack", POLICY_PACK], 300_000);
    const mandatory = policyViolations(preview.output).filter((v) => v.level === "mandatory");
    expect(mandatory).toEqual([]);
    // The exporter's socket is the one weakening, and it is suppressed with its reason, not unused.
    expect(preview.output).not.toContain("suppression-unused");
  }, 360_000);

  it("up: every scrape target is up, every alert rule loaded, no alert about the stack itself", async () => {
    await stack(["up", "--yes", "--skip-preview"], 300_000);
    type Targets = { data: { activeTargets: { labels: { job: string }; health: string }[] } };
    const targets = await eventually("every target up", 90_000, async () => {
      const t = (await prometheus<Targets>("/api/v1/targets")).data.activeTargets;
      return t.length === 5 && t.every((x) => x.health === "up") ? t : undefined;
    });
    // The stack's own four, and the service's endpoint given in scrapeTargets.
    expect(targets.map((t) => t.labels.job).sort()).toEqual([
      "alertmanager",
      "app",
      "docker-engine",
      "engine-stats",
      "prometheus",
    ]);
    type Rules = { data: { groups: { rules: { name: string; health: string; state: string }[] }[] } };
    const rules = (await prometheus<Rules>("/api/v1/rules")).data.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.name).sort()).toEqual(Object.values(AlertName).sort());
    expect(rules.filter((r) => r.health !== "ok")).toEqual([]);
    // The exporter's read-only socket, with its reason, does not count as unhardened; the app's
    // node_exporter reports its own series through Prometheus.
    type Query = { data: { result: { metric: Record<string, string> }[] } };
    const series = await prometheus<Query>("/api/v1/query?query=node_exporter_build_info");
    expect(series.data.result.map((r) => r.metric.job)).toEqual(["app"]);
    expect(rules.filter((r) => r.state === "firing").map((r) => r.name)).toEqual([]);
  }, 420_000);

  it("a container burning CPU over the threshold reaches `shipshape alerts receive`'s command as ContainerCpuHigh within 120 s", async () => {
    const gateway = JSON.parse((await stack(["stack", "output", "gateway", "--json"])).stdout) as string;
    receiver = startReceiver(`${gateway}:${receiverPort}`, recorded);
    const started = Date.now();
    const image = tags.find((t) => t.startsWith(`${id}/engine-exporter:`)) as string;
    await docker([
      "run",
      "-d",
      "--name",
      burner,
      "--user",
      "10001",
      "--read-only",
      "--cap-drop",
      "ALL",
      "--cpus",
      "0.5",
      "--network",
      "none",
      image,
      "/bin/sh",
      "-c",
      "while :; do :; done",
    ]);
    const alert = await eventually("ContainerCpuHigh at the receiver", 120_000, async () =>
      received(recorded).find(
        (a) =>
          a.status === "firing" && a.alertname === AlertName.ContainerCpuHigh && a.labels.name === burner,
      ),
    );
    expect(alert.labels).toMatchObject({ severity: "warning", check: "resources", job: "engine-stats" });
    expect(alert.annotations.summary).toMatch(
      new RegExp(`^container ${burner} uses \\d+% of its CPU limit \\(threshold 50%\\)$`),
    );
    expect(Date.now() - started).toBeLessThan(120_000);
    await docker(["rm", "-f", burner]);
  }, 180_000);

  it("the stack's containers audit clean on the live engine (shipshape audit --docker)", async () => {
    const names = ["engine-exporter", "alertmanager", "prometheus"].map((n) => `${prefix}-${n}`);
    const out = await run(
      process.execPath,
      [
        join(REPO, "dist", "src", "cli", "main.js"),
        "audit",
        "--docker",
        "--host",
        host,
        "--containers",
        names.join(","),
        "--format",
        "json",
      ],
      { cwd: REPO, maxBuffer: 64 * 1024 * 1024 },
    ).then(
      (r) => r.stdout,
      (e: { stdout: string }) => e.stdout,
    );
    const findings = (JSON.parse(out) as { findings: { ruleId: string; object: string }[] }).findings;
    expect(findings.filter((f) => names.some((n) => f.object.includes(n)))).toEqual([]);
  }, 120_000);

  it("a second up changes nothing; destroy leaves no container or network behind", async () => {
    const again = await stack(["up", "--yes", "--skip-preview"], 300_000);
    expect(again.output).toMatch(/\b15 unchanged\b/);
    expect(again.output).not.toMatch(/\b(created|updated|replaced|deleted)\b/);
    await stack(["destroy", "--yes", "--skip-preview"], 300_000);
    expect(await docker(["ps", "-a", "--filter", `name=${prefix}`, "--format", "{{.Names}}"])).toBe("");
    expect(await docker(["network", "ls", "--filter", `name=${prefix}`, "--format", "{{.Name}}"])).toBe("");
  }, 600_000);
});
