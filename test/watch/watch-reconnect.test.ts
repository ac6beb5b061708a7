import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDocker, docker, importBusybox, requireEngine } from "../live/engine-helpers";
import { privateEngine } from "../live/private-engine";
import { count, RECORDER, startWatch, waitForAlerts } from "./watch-helpers";

/**
 * An engine of this test's own (scripts/hardened-engine.sh with its own socket, roots, network
 * namespace and config directory), so that restarting it disturbs no one else's.
 */
const id = `ss18-w${process.pid}`;
const { socket, env: engineEnv, control: engine } = privateEngine(id);

async function waitForText(file: string, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, "utf8") : "";
    if (pattern.test(text)) return;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in ${file} within ${timeoutMs} ms: ${text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describeDocker("shipshape watch --daemonize survives an engine restart", () => {
  let dir: string;
  let pid: number | undefined;
  const container = `${id}-target`;
  const tag = `${id}-busybox:1`;

  beforeAll(async () => {
    await requireEngine();
    dir = mkdtempSync(join(tmpdir(), `${id}-`));
    await engine("start");
    await importBusybox(socket, tag);
    await docker(socket, ["run", "-d", "--name", container, "--network", "none", tag]);
  }, 180_000);

  afterAll(async () => {
    if (pid !== undefined) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await engine("purge").catch(() => undefined);
    rmSync(engineEnv.SHIPSHAPE_LOG_DIR as string, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it("reconnects after the engine restarts and keeps alerting", async () => {
    const logDir = join(dir, "log");
    const alerts = join(dir, "alerts.jsonl");
    const starter = startWatch([
      "--host",
      `unix://${socket}`,
      "--containers",
      container,
      "--no-runtime",
      "--alert-command",
      process.execPath,
      "--alert-arg",
      RECORDER,
      "--alert-arg",
      alerts,
      "--log-dir",
      logDir,
      "--daemonize",
    ]);
    expect(await starter.exited).toBe(0);
    expect(starter.stderr()).toMatch(/shipshape watch runs in the background: pid \d+/);
    pid = Number(readFileSync(join(logDir, "watch.pid"), "utf8"));
    expect(() => process.kill(pid as number, 0)).not.toThrow();
    const log = join(logDir, "watch.log");
    await waitForText(log, /watch: watching unix:\/\/.*\(1 running container/, 60_000);

    await docker(socket, ["exec", container, "true"]);
    await waitForAlerts(
      alerts,
      (a) => count(a, "exec", container) === 1,
      30_000,
      "the exec alert before the restart",
    );

    // live-restore keeps the container running while dockerd is down.
    await engine("stop");
    await waitForText(log, /watch: lost the engine at unix:\/\//, 30_000);
    await engine("start");
    await waitForText(log, /watch: reconnected to unix:\/\/.*\(1 running container/, 60_000);
    expect(() => process.kill(pid as number, 0)).not.toThrow();

    await docker(socket, ["exec", container, "id"]);
    const after = await waitForAlerts(
      alerts,
      (a) => count(a, "exec", container) === 2,
      30_000,
      "the exec alert after the restart",
    );
    expect(after.map((a) => a.alert.details.command)).toEqual(["true", "id"]);
    // The container was already known: the reconnection raised no audit or restart alert.
    expect(after.map((a) => a.alert.check)).toEqual(["exec", "exec"]);
    const events = readFileSync(join(logDir, "events.jsonl"), "utf8");
    expect(events).toContain('"status":"disconnected"');
    expect(events).toContain('"status":"reconnected"');

    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      try {
        process.kill(pid, 0);
      } catch {
        pid = undefined;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(pid, "the background watcher stops on SIGTERM").toBeUndefined();
  }, 240_000);
});

it("refuses --daemonize without --log-dir", async () => {
  const w = startWatch(["--daemonize"]);
  expect(await w.exited).toBe(2);
  expect(w.stderr()).toContain("option '--daemonize' needs --log-dir <dir>");
}, 60_000);
