import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { alertmanagerConfigYaml, prometheusConfigYaml } from "../../src/observability/config";
import { AlertName, alertRules, alertRulesYaml } from "../../src/observability/rules";

const run = promisify(execFile);

/** promtool tests are skipped only when this is set; CI never sets it. */
const SKIP = process.env.SHIPSHAPE_SKIP_PROMTOOL === "1";

async function promtool(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run("promtool", args, { cwd });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { code?: number | string; stdout?: string; stderr?: string };
    if (err.code === "ENOENT")
      throw new Error(
        "promtool not found: run scripts/setup.sh (it installs Debian's prometheus), or set SHIPSHAPE_SKIP_PROMTOOL=1 to skip",
      );
    return {
      code: typeof err.code === "number" ? err.code : 1,
      out: `${err.stdout ?? ""}${err.stderr ?? ""}`,
    };
  }
}

const SETTINGS = {
  cpuPercent: 80,
  memoryPercent: 80,
  runtimeLimitSeconds: 3600,
  resourceFor: "2m",
  engineFor: "1m",
};
const exporter = (name: string) => ({
  job: "engine-stats",
  instance: "exporter:9323",
  name,
  id: `id-${name}`,
  image: "app:1",
});
const series = (metric: string, labels: Record<string, string>, values: string) => ({
  series: `${metric}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}}`,
  values,
});

/** One promtool unit test per alert: a case that fires (labels and summary exact) and one that does not. */
const TESTS = [
  {
    interval: "1m",
    input_series: [
      // 54 CPU-seconds a minute on a limit of one CPU: 90%.
      series("shipshape_container_cpu_usage_seconds_total", exporter("burn"), "0+54x10"),
      series("shipshape_container_cpu_limit_cores", exporter("burn"), "1x10"),
      // 27 CPU-seconds a minute on a limit of half a CPU: 90% too.
      series("shipshape_container_cpu_usage_seconds_total", exporter("half"), "0+27x10"),
      series("shipshape_container_cpu_limit_cores", exporter("half"), "0.5x10"),
      // 30 CPU-seconds a minute on one CPU: 50%, under the threshold.
      series("shipshape_container_cpu_usage_seconds_total", exporter("idle"), "0+30x10"),
      series("shipshape_container_cpu_limit_cores", exporter("idle"), "1x10"),
      series("shipshape_container_memory_usage_bytes", exporter("fat"), "900x10"),
      series("shipshape_container_memory_limit_bytes", exporter("fat"), "1000x10"),
      series("shipshape_container_memory_usage_bytes", exporter("idle"), "100x10"),
      series("shipshape_container_memory_limit_bytes", exporter("idle"), "1000x10"),
    ],
    alert_rule_test: [
      // Over the threshold for 1 minute: pending, not firing (for: 2m).
      { eval_time: "2m", alertname: AlertName.ContainerCpuHigh, exp_alerts: [] },
      {
        eval_time: "5m",
        alertname: AlertName.ContainerCpuHigh,
        exp_alerts: ["burn", "half"].map((n) => ({
          exp_labels: { ...exporter(n), severity: "warning", check: "resources" },
          exp_annotations: { summary: `container ${n} uses 90% of its CPU limit (threshold 80%)` },
        })),
      },
      { eval_time: "1m", alertname: AlertName.ContainerMemoryHigh, exp_alerts: [] },
      {
        eval_time: "5m",
        alertname: AlertName.ContainerMemoryHigh,
        exp_alerts: [
          {
            exp_labels: { ...exporter("fat"), severity: "warning", check: "resources" },
            exp_annotations: { summary: "container fat uses 90% of its memory limit (threshold 80%)" },
          },
        ],
      },
    ],
  },
  {
    interval: "1m",
    input_series: [
      series("shipshape_container_restarts", exporter("flaky"), "0 0 0 1 1 1 1 1"),
      series("shipshape_container_restarts", exporter("steady"), "2x8"),
    ],
    alert_rule_test: [
      { eval_time: "2m", alertname: AlertName.ContainerRestarted, exp_alerts: [] },
      {
        eval_time: "5m",
        alertname: AlertName.ContainerRestarted,
        exp_alerts: [
          {
            exp_labels: { ...exporter("flaky"), severity: "warning", check: "restart" },
            exp_annotations: { summary: "container flaky restarted in the last 10 minutes" },
          },
        ],
      },
    ],
  },
  {
    interval: "10m",
    input_series: [
      // Started at time 0 and at 1h: at 2h they have run 7200 s and 3600 s (the limit is 3600).
      series("shipshape_container_started_time_seconds", exporter("old"), "0x12"),
      series("shipshape_container_started_time_seconds", exporter("young"), "3600x12"),
    ],
    alert_rule_test: [
      { eval_time: "50m", alertname: AlertName.ContainerRunningTooLong, exp_alerts: [] },
      {
        eval_time: "2h",
        alertname: AlertName.ContainerRunningTooLong,
        exp_alerts: [
          {
            exp_labels: { ...exporter("old"), severity: "warning", check: "runtime" },
            exp_annotations: { summary: "container old has run 7200 s, over the limit of 3600 s" },
          },
        ],
      },
    ],
  },
  {
    interval: "1m",
    input_series: [
      series("shipshape_container_privileged", exporter("priv"), "1x5"),
      series("shipshape_container_privileged", exporter("plain"), "0x5"),
      series("shipshape_container_hardened", exporter("priv"), "0x5"),
      series("shipshape_container_hardened", exporter("plain"), "1x5"),
    ],
    alert_rule_test: [
      {
        eval_time: "1m",
        alertname: AlertName.PrivilegedContainer,
        exp_alerts: [
          {
            exp_labels: { ...exporter("priv"), severity: "critical", check: "audit" },
            exp_annotations: { summary: "container priv runs privileged" },
          },
        ],
      },
      {
        eval_time: "1m",
        alertname: AlertName.UnhardenedContainer,
        exp_alerts: [
          {
            exp_labels: { ...exporter("priv"), severity: "critical", check: "audit" },
            exp_annotations: {
              summary:
                "container priv is not hardened (host namespaces, the engine socket, added capabilities, root or a writable root filesystem)",
            },
          },
        ],
      },
    ],
  },
  {
    interval: "1m",
    input_series: [
      // The engine's metrics endpoint answers for 2 minutes, then not.
      series("up", { job: "docker-engine", instance: "engine:9323" }, "1 1 0 0 0 0 0"),
      series("up", { job: "engine-stats", instance: "exporter:9323" }, "1x6"),
      series("shipshape_engine_up", { job: "engine-stats", instance: "exporter:9323" }, "1x6"),
    ],
    alert_rule_test: [
      { eval_time: "2m", alertname: AlertName.DockerEngineUnreachable, exp_alerts: [] },
      {
        eval_time: "5m",
        alertname: AlertName.DockerEngineUnreachable,
        exp_alerts: [
          {
            exp_labels: {
              job: "docker-engine",
              instance: "engine:9323",
              severity: "critical",
              check: "engine",
            },
            exp_annotations: {
              summary: "the Docker engine does not answer (its metrics endpoint or the Engine API)",
            },
          },
        ],
      },
      {
        eval_time: "5m",
        alertname: AlertName.ScrapeTargetDown,
        exp_alerts: [
          {
            exp_labels: {
              job: "docker-engine",
              instance: "engine:9323",
              severity: "warning",
              check: "scrape",
            },
            exp_annotations: { summary: "scrape target docker-engine at engine:9323 is down" },
          },
        ],
      },
    ],
  },
  {
    interval: "1m",
    input_series: [
      // The exporter answers but the Engine API does not; the engine's own endpoint was never scraped.
      series("up", { job: "engine-stats", instance: "exporter:9323" }, "1x6"),
      series("shipshape_engine_up", { job: "engine-stats", instance: "exporter:9323" }, "0x6"),
    ],
    alert_rule_test: [
      {
        eval_time: "3m",
        alertname: AlertName.DockerEngineUnreachable,
        exp_alerts: [
          {
            exp_labels: {
              job: "engine-stats",
              instance: "exporter:9323",
              severity: "critical",
              check: "engine",
            },
            exp_annotations: {
              summary: "the Docker engine does not answer (its metrics endpoint or the Engine API)",
            },
          },
          {
            exp_labels: { job: "docker-engine", severity: "critical", check: "engine" },
            exp_annotations: {
              summary: "the Docker engine does not answer (its metrics endpoint or the Engine API)",
            },
          },
        ],
      },
      { eval_time: "3m", alertname: AlertName.ScrapeTargetDown, exp_alerts: [] },
    ],
  },
];

(SKIP ? describe.skip : describe)("the alert rules, checked and unit-tested by promtool", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ss18-rules-"));
    writeFileSync(join(dir, "rules.yml"), alertRulesYaml(SETTINGS));
    writeFileSync(
      join(dir, "rules.test.yml"),
      stringify({ rule_files: ["rules.yml"], evaluation_interval: "1m", tests: TESTS }, { lineWidth: 0 }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("promtool check rules accepts every rule", async () => {
    const r = await promtool(["check", "rules", "rules.yml"], dir);
    expect(r.out).toContain(`SUCCESS: ${Object.keys(AlertName).length} rules found`);
    expect(r.code).toBe(0);
  });

  it("promtool test rules: every alert fires when it should and only then", async () => {
    const r = await promtool(["test", "rules", "rules.test.yml"], dir);
    expect(r.out, r.out).toContain("SUCCESS");
    expect(r.code).toBe(0);
    const tested = new Set(TESTS.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)));
    expect([...tested].sort()).toEqual(
      alertRules()
        .map((r) => r.alert)
        .sort(),
    );
  });

  it("promtool test rules fails when a threshold is wrong (the tests can fail)", async () => {
    writeFileSync(join(dir, "rules.yml"), alertRulesYaml({ ...SETTINGS, cpuPercent: 95 }));
    const r = await promtool(["test", "rules", "rules.test.yml"], dir);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("ContainerCpuHigh");
    writeFileSync(join(dir, "rules.yml"), alertRulesYaml(SETTINGS));
  });
});

describe("alert rule settings", () => {
  it("names the field, the value and the fix", () => {
    expect(() => alertRulesYaml({ resourceFor: "soon" })).toThrow(
      'resourceFor: "soon" is not a Prometheus duration; give one such as 30s, 2m or 1h',
    );
    expect(() => alertRulesYaml({ cpuPercent: -1 })).toThrow("cpuPercent: -1 is not a positive number");
  });
});

(SKIP ? describe.skip : describe)("the Prometheus and Alertmanager configuration files", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ss18-config-"));
    writeFileSync(join(dir, "rules.yml"), alertRulesYaml());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("promtool check config accepts the Prometheus configuration, rules included", async () => {
    writeFileSync(
      join(dir, "prometheus.yml"),
      prometheusConfigYaml({
        jobs: [
          { job: "docker-engine", targets: ["172.17.0.1:9323"] },
          { job: "engine-stats", targets: ["exporter:9323"] },
        ],
        alertmanagers: ["alertmanager:9093"],
        ruleFiles: [join(dir, "rules.yml")],
      }),
    );
    const r = await promtool(["check", "config", "prometheus.yml"], dir);
    expect(r.out).toContain(`SUCCESS: ${Object.keys(AlertName).length} rules found`);
    expect(r.code).toBe(0);
  });

  it("amtool check-config accepts the Alertmanager configuration (one webhook receiver)", async () => {
    writeFileSync(
      join(dir, "alertmanager.yml"),
      alertmanagerConfigYaml({ webhookUrl: "http://receiver:8080/alerts" }),
    );
    const { stdout } = await run("amtool", ["check-config", "alertmanager.yml"], { cwd: dir });
    expect(stdout).toContain("SUCCESS");
    expect(stdout).toMatch(/- 1 receivers/);
  });

  it("refuses bad targets and webhook URLs with the field, the value and the fix", () => {
    expect(() =>
      prometheusConfigYaml({ jobs: [{ job: "x", targets: ["no port"] }], alertmanagers: [], ruleFiles: [] }),
    ).toThrow('jobs[0].targets[0]: "no port" is not a host:port target; give one such as exporter:9323');
    expect(() => alertmanagerConfigYaml({ webhookUrl: "file:///etc/passwd" })).toThrow(
      'webhookUrl: "file:///etc/passwd" is not an http(s) URL',
    );
  });
});
