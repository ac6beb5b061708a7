import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDocker, docker, importBusybox, requireEngine, uniqueName } from "../live/engine-helpers";
import { count, RECORDER, recorded, startWatch, type WatchProcess, waitForAlerts } from "./watch-helpers";

/** Settings a hardened container runs with: the audit check must not alert on these. */
const HARDENED = [
  "--user",
  "10001:10001",
  "--read-only",
  "--cap-drop",
  "ALL",
  "--security-opt",
  "no-new-privileges",
  "--memory",
  "64m",
  "--pids-limit",
  "64",
  "--network",
  "none",
];

describeDocker("shipshape watch against the real engine", () => {
  const tag = `${uniqueName("ss18-watch")}:1`;
  const base = uniqueName("ss18-w");
  const names = {
    privileged: `${base}-priv`,
    hostPid: `${base}-hostpid`,
    burner: `${base}-burn`,
    quiet: `${base}-quiet`,
    restarting: `${base}-restart`,
    oom: `${base}-oom`,
    memory: `${base}-mem`,
  };
  let dir: string;
  let all: WatchProcess;
  let silenced: WatchProcess;
  const marker = () => join(dir, "shell-ran");

  beforeAll(async () => {
    await requireEngine();
    dir = mkdtempSync(join(tmpdir(), "ss18-watch-"));
    await importBusybox(undefined, tag);
    const common = [
      "--containers",
      Object.values(names).join(","),
      "--interval",
      "2s",
      // Low enough that a busy machine's scheduling does not dip the burner (100% of its limit)
      // under it for a whole interval, which would re-arm the check and alert a second time.
      "--resource-threshold",
      "30",
      "--runtime-limit",
      "8s",
      "--alert-command",
      process.execPath,
      "--alert-arg",
      RECORDER,
    ];
    all = startWatch([
      ...common,
      "--alert-arg",
      join(dir, "all.jsonl"),
      // Shell syntax: it must reach the command as plain arguments.
      "--alert-arg",
      `$(touch ${marker()})`,
      "--alert-arg",
      `; touch ${marker()} #`,
      "--log-dir",
      join(dir, "log"),
    ]);
    silenced = startWatch([
      ...common,
      "--alert-arg",
      join(dir, "silenced.jsonl"),
      "--no-resources",
      "--no-runtime",
      "--no-audit",
      "--no-exec",
      "--no-oom",
    ]);
    await all.waitFor(/watch: watching /, 60_000);
    await silenced.waitFor(/watch: watching /, 60_000);
    // A privileged container (created: the watcher audits what appears, started or not).
    await docker(undefined, ["create", "--name", names.privileged, "--privileged", tag]);
    await docker(undefined, ["run", "-d", "--name", names.hostPid, "--pid", "host", ...HARDENED, tag]);
    // Burns half a CPU: 100% of its CPU limit of 0.5.
    await docker(undefined, [
      "run",
      "-d",
      "--name",
      names.burner,
      ...HARDENED,
      "--cpus",
      "0.5",
      tag,
      "sh",
      "-c",
      "while :; do :; done",
    ]);
    await docker(undefined, ["run", "-d", "--name", names.quiet, ...HARDENED, tag]);
    await docker(undefined, [
      "run",
      "-d",
      "--name",
      names.restarting,
      ...HARDENED,
      "--restart",
      "on-failure:2",
      tag,
      "sh",
      "-c",
      "sleep 1; exit 3",
    ]);
    // Doubles a string until the 16 MiB limit's OOM killer stops it.
    await docker(undefined, [
      "run",
      "-d",
      "--name",
      names.oom,
      "--user",
      "10001:10001",
      "--read-only",
      "--cap-drop",
      "ALL",
      "--security-opt",
      "no-new-privileges",
      "--network",
      "none",
      "--memory",
      "16m",
      "--memory-swap",
      "16m",
      tag,
      "sh",
      "-c",
      "x=aaaaaaaaaaaaaaaa; while :; do x=$x$x; done",
    ]);
    // 48 MiB in a tmpfs (charged to the container's memory) of its 64 MiB limit: 75%, over 30%.
    await docker(undefined, [
      "run",
      "-d",
      "--name",
      names.memory,
      ...HARDENED,
      "--tmpfs",
      "/scratch:size=60m,mode=1777",
      tag,
      "sh",
      "-c",
      "busybox dd if=/dev/zero of=/scratch/fill bs=1M count=48 && sleep 3600",
    ]);
    await docker(undefined, ["exec", names.quiet, "true"]);
  }, 180_000);

  afterAll(async () => {
    await all?.stop();
    await silenced?.stop();
    await docker(undefined, ["rm", "-f", ...Object.values(names)]).catch(() => undefined);
    await docker(undefined, ["rmi", tag]).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs the alert command once per breach with the right JSON, never through a shell", async () => {
    const expected: [string, string][] = [
      ["audit", names.privileged],
      ["audit", names.hostPid],
      ["resources", names.burner],
      ["runtime", names.burner],
      ["runtime", names.quiet],
      ["exec", names.quiet],
      ["restart", names.restarting],
      ["oom", names.oom],
      ["resources", names.memory],
    ];
    await waitForAlerts(
      join(dir, "all.jsonl"),
      (a) => expected.every(([check, name]) => count(a, check, name) >= 1),
      90_000,
      "every check's alert",
    );
    // Time for a second alert of any breach to show up, if the watcher were to send one.
    await new Promise((r) => setTimeout(r, 5000));
    const alerts = recorded(join(dir, "all.jsonl"));
    for (const [check, name] of expected.filter(([c]) => c !== "restart"))
      expect(count(alerts, check, name), `${check} alerts for ${name}`).toBe(1);
    // Hardened containers pass the audit; only the privileged and the host-PID ones alert.
    expect(
      alerts
        .filter((a) => a.alert.check === "audit")
        .map((a) => a.alert.container.name)
        .sort(),
    ).toEqual([names.hostPid, names.privileged].sort());
    const byKey = (check: string, name: string) => {
      const found = alerts.find((a) => a.alert.check === check && a.alert.container.name === name);
      if (!found) throw new Error(`no ${check} alert for ${name}`);
      return found.alert;
    };
    const priv = byKey("audit", names.privileged);
    expect(priv).toMatchObject({
      version: 1,
      severity: "critical",
      container: { name: names.privileged, image: tag },
    });
    expect(String(priv.details.rules).split(",")).toContain("privileged-container");
    expect(String(byKey("audit", names.hostPid).details.rules).split(",")).toContain("host-namespaces");
    // --containers: nothing else on the engine alerted.
    for (const a of alerts) expect(Object.values(names)).toContain(a.alert.container.name);
    const memory = byKey("resources", names.memory);
    expect(memory.details).toMatchObject({ resource: "memory", memoryLimitBytes: 64 * 1024 * 1024 });
    expect(Number(memory.details.memoryPercent)).toBeGreaterThan(30);
    const cpu = byKey("resources", names.burner);
    expect(cpu.details).toMatchObject({ resource: "cpu", cpuLimit: 0.5, thresholdPercent: 30 });
    expect(Number(cpu.details.cpuPercent)).toBeGreaterThan(30);
    const runtime = byKey("runtime", names.quiet);
    expect(runtime.details.limitSeconds).toBe(8);
    expect(Number(runtime.details.runningSeconds)).toBeGreaterThanOrEqual(8);
    expect(byKey("exec", names.quiet).details.command).toBe("true");
    expect(byKey("restart", names.restarting).details.reason).toBe("restart-policy");
    expect(byKey("oom", names.oom).container.id).toMatch(/^[0-9a-f]{64}$/);
    // The command got its arguments verbatim, and no shell ran them.
    for (const a of alerts) expect(a.argv).toEqual([`$(touch ${marker()})`, `; touch ${marker()} #`]);
    expect(existsSync(marker())).toBe(false);
    // The log directory holds the same alerts, one JSON document a line.
    const logged = readFileSync(join(dir, "log", "alerts.jsonl"), "utf8")
      .trim()
      .split("\n");
    // The same set: alert commands run concurrently, so the recorder may finish them in another order.
    const sorted = (list: unknown[]) => list.map((x) => JSON.stringify(x)).sort();
    expect(sorted(logged.map((l) => JSON.parse(l)))).toEqual(sorted(alerts.map((a) => a.alert)));
    expect(readFileSync(join(dir, "log", "events.jsonl"), "utf8")).toContain(`"name":"${names.quiet}"`);
    expect(all.stdout()).toContain(`alert exec high ${names.quiet}:`);
  }, 120_000);

  it("--no-<check> silences that check and only that one", async () => {
    const alerts = await waitForAlerts(
      join(dir, "silenced.jsonl"),
      (a) => count(a, "restart", names.restarting) >= 1,
      90_000,
      "the restart alert of the watcher with the other checks off",
    );
    expect(alerts.filter((a) => a.alert.check !== "restart")).toEqual([]);
    expect(silenced.stderr()).toContain("checks: restart");
  }, 120_000);

  it("exits 0 on SIGTERM", async () => {
    expect(await all.stop()).toBe(0);
  }, 30_000);
});

it("exits 2 with a message when the engine is unreachable", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ss18-watch-none-"));
  try {
    const w = startWatch(["--host", `unix://${join(dir, "no-engine.sock")}`]);
    expect(await w.exited).toBe(2);
    expect(w.stderr()).toMatch(/error: cannot reach the Docker engine at unix:\/\/.*no-engine\.sock/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

it("refuses a bad option value with its name, the value and the fix, before connecting", async () => {
  const w = startWatch(["--interval", "soon", "--host", "unix:///nonexistent.sock"]);
  expect(await w.exited).toBe(2);
  expect(w.stderr()).toContain(
    `option '--interval' "soon" is not a duration; give a positive number of seconds`,
  );
  expect(w.stderr()).not.toContain("cannot reach");
}, 60_000);
