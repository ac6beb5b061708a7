import { execFile, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { alertmanagerConfigYaml, prometheusConfigYaml } from "../../src/observability/config";
import { AlertName, alertRules, alertRulesYaml } from "../../src/observability/rules";
import { describeDocker, docker, requireEngine, uniqueName } from "../live/engine-helpers";
import { eventually } from "../live/private-engine";
import { ROOT } from "../watch/watch-helpers";

const run = promisify(execFile);

/** A health check through the image's busybox wget. */
const health = (url: string) => ["--health-cmd", `wget -q -O /dev/null ${url}`, "--health-interval", "5s"];

/**
 * The default engine runs without userns-remap, so every container on it shares the host's user
 * namespace: an engine-level finding (the hardened engine, scripts/hardened-engine.sh, remaps).
 */
const ENGINE_LEVEL = new Set(["host-user-namespace"]);

/**
 * The observability stack's parts on the real engine, run as the stack runs them (non-root,
 * read-only root, no capabilities, an internal network, limits): real Prometheus scraping the
 * engine-stats exporter and itself, real Alertmanager delivering to this test's webhook, and a
 * CPU-burning container that must make an alert arrive within a bound.
 */
const PREFIX = "ss18-obs";
const HARDENED = [
  "--user",
  "10001:10001",
  "--read-only",
  "--cap-drop",
  "ALL",
  "--security-opt",
  "no-new-privileges",
  "--pids-limit",
  "128",
  "--memory",
  "256m",
  "--cpus",
  "0.5",
  "--restart",
  "on-failure:5",
];

interface Delivery {
  status: string;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
}

async function json<T>(url: string): Promise<T> {
  const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!r.ok) throw new Error(`GET ${url}: ${r.status}`);
  return (await r.json()) as T;
}

describeDocker("Prometheus, Alertmanager and the engine-stats exporter, hardened, on the real engine", () => {
  const id = uniqueName(PREFIX);
  const net = `${id}-net`;
  const names = {
    exporter: `${id}-exporter`,
    prometheus: `${id}-prometheus`,
    alertmanager: `${id}-alertmanager`,
    burner: `${id}-burn`,
  };
  let dir: string;
  let server: Server;
  const deliveries: Delivery[] = [];
  let promUrl = "";
  let tags: string[] = [];

  const ip = (name: string) =>
    docker(undefined, [
      "inspect",
      "--format",
      `{{(index .NetworkSettings.Networks "${net}").IPAddress}}`,
      name,
    ]);

  beforeAll(async () => {
    await requireEngine();
    await run("bash", [join(ROOT, "scripts", "images", "observability-images.sh"), "--prefix", PREFIX], {
      timeout: 300_000,
    });
    tags = (
      await run("bash", [
        join(ROOT, "scripts", "images", "observability-images.sh"),
        "--prefix",
        PREFIX,
        "--print-tags",
      ])
    ).stdout
      .trim()
      .split("\n");
    const tag = (part: string) => {
      const t = tags.find((x) => x.startsWith(`${PREFIX}/${part}:`));
      if (!t) throw new Error(`no ${part} image among ${tags.join(", ")}`);
      return t;
    };
    await docker(undefined, ["network", "create", "--internal", net]);
    const gateway = await docker(undefined, [
      "network",
      "inspect",
      "--format",
      "{{(index .IPAM.Config 0).Gateway}}",
      net,
    ]);
    // The test's webhook, on the internal network's host side only.
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => {
        body += c.toString();
      });
      req.on("end", () => {
        try {
          deliveries.push(JSON.parse(body) as Delivery);
        } catch {
          // not an Alertmanager delivery
        }
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, gateway, resolve));
    const port = (server.address() as { port: number }).port;

    dir = mkdtempSync(join(tmpdir(), `${id}-`));
    chmodSync(dir, 0o755);
    const rules = alertRulesYaml({ cpuPercent: 50, resourceFor: "10s", rateWindow: "20s", engineFor: "1m" });
    writeFileSync(join(dir, "rules.yml"), rules, { mode: 0o644 });
    writeFileSync(
      join(dir, "prometheus.yml"),
      prometheusConfigYaml({
        scrapeInterval: "2s",
        evaluationInterval: "2s",
        jobs: [
          { job: "prometheus", targets: ["127.0.0.1:9090"] },
          { job: "engine-stats", targets: [`${names.exporter}:9323`] },
          { job: "alertmanager", targets: [`${names.alertmanager}:9093`] },
        ],
        alertmanagers: [`${names.alertmanager}:9093`],
        ruleFiles: ["/etc/shipshape/rules.yml"],
      }),
      { mode: 0o644 },
    );
    writeFileSync(
      join(dir, "alertmanager.yml"),
      alertmanagerConfigYaml({
        webhookUrl: `http://${gateway}:${port}/alerts`,
        groupWait: "1s",
        groupInterval: "5s",
      }),
      { mode: 0o644 },
    );
    const config = ["-v", `${dir}:/etc/shipshape:ro`];
    const socketGid = String(statSync("/var/run/docker.sock").gid);
    await docker(undefined, [
      "run",
      "-d",
      "--name",
      names.exporter,
      "--network",
      net,
      ...HARDENED,
      "--group-add",
      socketGid,
      // Read-only, on an internal network only: nothing outside the stack reaches this container.
      "-v",
      "/var/run/docker.sock:/var/run/docker.sock:ro",
      "--label",
      "shipshape.io/suppress.docker-socket-mount=the engine-stats exporter reads the Engine API (GET only) on an internal network",
      ...health("http://127.0.0.1:9323/healthz"),
      tag("engine-exporter"),
      "/bin/engine_exporter",
      "-listen",
      "0.0.0.0:9323",
    ]);
    await docker(undefined, [
      "run",
      "-d",
      "--name",
      names.alertmanager,
      "--network",
      net,
      ...HARDENED,
      ...config,
      "--tmpfs",
      "/alertmanager:rw,size=16m,mode=1777",
      ...health("http://127.0.0.1:9093/-/healthy"),
      tag("alertmanager"),
      "/bin/alertmanager",
      "--config.file=/etc/shipshape/alertmanager.yml",
      "--storage.path=/alertmanager",
      "--cluster.listen-address=",
      "--web.listen-address=0.0.0.0:9093",
    ]);
    await docker(undefined, [
      "run",
      "-d",
      "--name",
      names.prometheus,
      "--network",
      net,
      ...HARDENED,
      ...config,
      "--tmpfs",
      "/prometheus:rw,size=64m,mode=1777",
      ...health("http://127.0.0.1:9090/-/healthy"),
      tag("prometheus"),
      "/bin/prometheus",
      "--config.file=/etc/shipshape/prometheus.yml",
      "--storage.tsdb.path=/prometheus",
      "--web.listen-address=0.0.0.0:9090",
    ]);
    promUrl = `http://${await ip(names.prometheus)}:9090`;
  }, 360_000);

  afterAll(async () => {
    await docker(undefined, ["rm", "-f", ...Object.values(names)]).catch(() => undefined);
    await docker(undefined, ["network", "rm", net]).catch(() => undefined);
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("every scrape target is up and every alert rule is loaded (Prometheus HTTP API)", async () => {
    type Targets = {
      data: { activeTargets: { labels: { job: string }; health: string; lastError: string }[] };
    };
    const targets = await eventually("all three targets up", 60_000, async () => {
      const t = await json<Targets>(`${promUrl}/api/v1/targets`);
      const active = t.data.activeTargets;
      return active.length === 3 && active.every((a) => a.health === "up") ? active : undefined;
    });
    expect(targets.map((t) => t.labels.job).sort()).toEqual(["alertmanager", "engine-stats", "prometheus"]);
    type Rules = { data: { groups: { rules: { name: string; health: string }[] }[] } };
    const rules = await json<Rules>(`${promUrl}/api/v1/rules`);
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name).sort()).toEqual(
      alertRules()
        .map((r) => r.alert)
        .sort(),
    );
    expect(loaded.every((r) => r.health !== "err")).toBe(true);
  }, 90_000);

  it("the exporter's metrics pass promtool check metrics and describe the stack's containers", async () => {
    const r = await fetch(`http://${await ip(names.exporter)}:9323/metrics`, {
      signal: AbortSignal.timeout(15_000),
    });
    const text = await r.text();
    expect(text).toMatch(/^shipshape_engine_up 1$/m);
    expect(text).toContain(`shipshape_container_hardened{name="${names.prometheus}",`);
    expect(text).toMatch(
      new RegExp(`^shipshape_container_cpu_limit_cores\\{name="${names.exporter}",[^}]*\\} 0\\.5$`, "m"),
    );
    const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    if (check.error)
      throw new Error(`promtool: ${check.error.message}; run scripts/setup.sh (Debian's prometheus)`);
    expect(`${check.stdout}${check.stderr}`).toBe("");
    expect(check.status).toBe(0);
  }, 60_000);

  it("a container burning CPU over the threshold fires ContainerCpuHigh, delivered to the webhook within 90 s", async () => {
    const tag = tags.find((t) => t.startsWith(`${PREFIX}/engine-exporter:`)) as string;
    const started = Date.now();
    await docker(undefined, [
      "run",
      "-d",
      "--name",
      names.burner,
      ...HARDENED,
      "--network",
      "none",
      tag,
      "/bin/sh",
      "-c",
      "while :; do :; done",
    ]);
    const alert = await eventually("the CPU alert at the webhook", 90_000, async () =>
      deliveries
        .flatMap((d) => d.alerts)
        .find(
          (a) =>
            a.status === "firing" &&
            a.labels.alertname === AlertName.ContainerCpuHigh &&
            a.labels.name === names.burner,
        ),
    );
    expect(alert.labels).toMatchObject({ severity: "warning", check: "resources", job: "engine-stats" });
    expect(alert.annotations.summary).toMatch(
      new RegExp(`^container ${names.burner} uses \\d+% of its CPU limit \\(threshold 50%\\)$`),
    );
    // The stack's own containers never fired it: only the burner did.
    const cpuAlerts = deliveries
      .flatMap((d) => d.alerts)
      .filter((a) => a.labels.alertname === AlertName.ContainerCpuHigh);
    expect(
      cpuAlerts.filter((a) =>
        Object.values(names)
          .slice(0, 3)
          .includes(a.labels.name ?? ""),
      ),
    ).toEqual([]);
    expect(Date.now() - started).toBeLessThan(90_000);
  }, 120_000);

  it("the stack's own containers audit clean with shipshape audit --docker (but the engine's missing userns-remap)", async () => {
    const stack = [names.exporter, names.prometheus, names.alertmanager];
    const { code, out } = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        join(ROOT, "src", "cli", "main.ts"),
        "audit",
        "--docker",
        "--containers",
        stack.join(","),
        "--format",
        "json",
      ],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
    ).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );
    const report = JSON.parse(out) as { findings: { ruleId: string; object: string; severity: string }[] };
    const workloadFindings = report.findings.filter(
      (f) => stack.some((n) => f.object.includes(n)) && !ENGINE_LEVEL.has(f.ruleId),
    );
    expect(workloadFindings, JSON.stringify(workloadFindings, null, 1)).toEqual([]);
    expect([0, 1]).toContain(code);
  }, 120_000);
});
