/**
 * `shipshape dashboard` against a hardened engine of the test's own (user namespaces remapped,
 * so a well-configured container has no finding of medium severity): the page, in headless
 * chromium, shows both containers with their hardening verdicts, CPU and memory graphs drawn from
 * the stats streams, and the watcher's alerts (an exec into a container, a CPU hog). A directory
 * label that is HTML is shown as text. The server answers only GET and HEAD, only to its own
 * address, and refuses to listen beyond loopback.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DashboardSnapshot } from "../../src/dashboard/collector";
import { eventually, privateEngine } from "../live/private-engine";
import { startLongCommand, type WatchProcess } from "../watch/watch-helpers";
import { describeChromium, dumpDomAfterScripts, requireChromium } from "./chromium";

const run = promisify(execFile);
const id = `ssdash${process.pid}`;
const engine = privateEngine(id);
const docker = async (args: string[]) => (await run("docker", ["-H", engine.host, ...args])).stdout.trim();
const IMAGE = `${id}/busybox:1`;
const HARD = `${id}-hard`;
const LOOSE = `${id}-loose`;
/** A rule id that is markup, in a suppression label: it reaches the page in the finding's message. */
const HOSTILE = "<script>alert(document.domain)</script>";

function get(
  url: string,
  options: { method?: string; host?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: options.method ?? "GET",
        headers: options.host ? { host: options.host } : {},
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describeChromium("shipshape dashboard on a hardened engine, in headless chromium", () => {
  let dir: string;
  let dashboard: WatchProcess;
  let url: string;

  beforeAll(async () => {
    await requireChromium();
    await engine.control("start");
    dir = mkdtempSync(join(tmpdir(), `${id}-`));
    const root = join(dir, "rootfs");
    for (const d of ["bin", "tmp"]) mkdirSync(join(root, d), { recursive: true });
    copyFileSync("/bin/busybox", join(root, "bin", "busybox"));
    for (const a of ["sh", "sleep", "true"]) symlinkSync("busybox", join(root, "bin", a));
    await run("tar", ["-C", root, "-cf", join(dir, "rootfs.tar"), "."]);
    await docker(["import", join(dir, "rootfs.tar"), IMAGE]);
    // Everything the live audit asks of a container, on an engine that remaps user namespaces.
    await docker([
      "run",
      "-d",
      "--name",
      HARD,
      "--user",
      "10000:10000",
      "--read-only",
      "--cap-drop",
      "ALL",
      "--security-opt",
      "no-new-privileges",
      "--pids-limit",
      "32",
      "--memory",
      "32m",
      "--cpus",
      "0.5",
      "--network",
      "none",
      "--health-cmd",
      "true",
      "--health-interval",
      "5s",
      "--restart",
      "on-failure:3",
      IMAGE,
      "sleep",
      "600",
    ]);
    // Root, writable, no limits but CPU, a suppression label naming markup, and a busy loop.
    await docker([
      "run",
      "-d",
      "--name",
      LOOSE,
      "--cpus",
      "0.5",
      "--label",
      `shipshape.io/suppress.${HOSTILE}=a test of escaping`,
      IMAGE,
      "sh",
      "-c",
      "while :; do :; done",
    ]);
    dashboard = startLongCommand([
      "dashboard",
      "--host",
      engine.host,
      "--listen",
      "127.0.0.1:0",
      "--refresh",
      "1s",
      "--history",
      "30s",
      "--resource-threshold",
      "50",
    ]);
    await dashboard.waitFor(/dashboard: http:\/\/127\.0\.0\.1:\d+\//, 60_000);
    url = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(dashboard.stderr())?.[1] as string;
    await docker(["exec", HARD, "true"]);
  }, 300_000);

  afterAll(async () => {
    await dashboard?.stop();
    await docker(["rm", "-f", HARD, LOOSE]).catch(() => undefined);
    await engine.control("purge").catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  const state = async () => JSON.parse((await get(`${url}api/state`)).body) as DashboardSnapshot;

  it("serves the engine's containers with their verdicts, resource points and the watcher's alerts", async () => {
    const s = await eventually("both containers with 5 points, an exec and a CPU alert", 90_000, async () => {
      const now = await state();
      const named = (n: string) => now.containers.find((c) => c.name === n);
      const ready =
        (named(HARD)?.points.length ?? 0) >= 5 &&
        (named(LOOSE)?.points.length ?? 0) >= 5 &&
        now.alerts.some((a) => a.check === "exec" && a.container.name === HARD) &&
        now.alerts.some((a) => a.check === "resources" && a.container.name === LOOSE);
      return ready ? now : undefined;
    });
    const hard = s.containers.find((c) => c.name === HARD);
    const loose = s.containers.find((c) => c.name === LOOSE);
    expect(s.connected).toBe(true);
    expect(hard?.hardened, JSON.stringify(hard?.findings)).toBe(true);
    expect(hard?.findings.filter((f) => f.severity !== "low")).toEqual([]);
    expect(loose?.hardened).toBe(false);
    expect(loose?.findings.map((f) => f.rule)).toEqual(
      expect.arrayContaining([
        "read-only-root-filesystem",
        "drop-all-capabilities",
        "pids-limit",
        "memory-limits",
        "suppression-unused",
      ]),
    );
    // The busy loop runs at its 0.5 CPU limit: near 100 % of it; the sleeper near 0.
    const recentCpu = (c: typeof hard) => (c?.points.slice(-3) ?? []).map((p) => p.cpuPercent);
    expect(Math.min(...recentCpu(loose))).toBeGreaterThan(60);
    expect(Math.max(...recentCpu(hard))).toBeLessThan(20);
    expect(hard?.memoryLimitBytes).toBe(32 * 1024 * 1024);
    // The history is bounded: 30 s at one point a second.
    expect(loose?.points.length).toBeLessThanOrEqual(30);
  }, 120_000);

  it("draws the page in chromium: rows, verdicts, graphs and alerts, untrusted text as text", async () => {
    const dom = await dumpDomAfterScripts(url, 5000);
    expect(dom).toContain('<body data-loaded="true">');
    expect(dom).toContain("<title>shipshape dashboard</title>");
    const row = (name: string) =>
      new RegExp(`<tr data-container="${name}">(.*?)</tr>`, "s").exec(dom)?.[1] ?? "";
    expect(row(HARD)).toContain('<td class="hardened">hardened');
    expect(row(LOOSE)).toMatch(/<td class="findings">\d+ findings, worst (high|medium)/);
    expect(row(LOOSE)).toContain('data-rule="memory-limits"');
    // The label's markup is text in the finding, never an element.
    expect(row(LOOSE)).toContain("&lt;script&gt;alert(document.domain)&lt;/script&gt;");
    expect(dom).not.toContain("<script>alert");
    for (const name of [HARD, LOOSE]) {
      const lines = [...row(name).matchAll(/<polyline points="([^"]*)"/g)].map(
        (m) => (m[1] ?? "").split(" ").length,
      );
      expect(lines, name).toHaveLength(2);
      for (const n of lines) expect(n).toBeGreaterThanOrEqual(5);
    }
    expect(dom).toMatch(/<li class="high" data-check="exec">[^<]*exec[^<]*ssdash\d+-hard/);
    expect(dom).toMatch(/data-check="resources">[^<]*ssdash\d+-loose/);
  }, 120_000);

  it("is read-only, answers only to its own address, and sends a strict content policy", async () => {
    const page = await get(url);
    expect(page.status).toBe(200);
    expect(String(page.headers["content-security-policy"])).toContain(
      "default-src 'none'; script-src 'self'",
    );
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect((await get(`${url}api/state`, { method: "POST" })).status).toBe(405);
    expect((await get(`${url}api/state`, { host: "attacker.example:80" })).status).toBe(421);
    expect((await get(`${url}api/state`, { host: `localhost:${new URL(url).port}` })).status).toBe(200);
    expect((await get(`${url}etc/passwd`)).status).toBe(404);
  });

  it("refuses to listen beyond loopback, naming the option and the fix", async () => {
    for (const [listen, message] of [
      ["0.0.0.0:9180", /listens on every interface, and the dashboard has no authentication/],
      ["10.1.2.3:9180", /is not a loopback address/],
      ["127.0.0.1", /is not host:port; give 127\.0\.0\.1 and a port/],
    ] as const) {
      const p = startLongCommand(["dashboard", "--listen", listen, "--host", engine.host]);
      expect(await p.exited).toBe(2);
      expect(p.stderr()).toMatch(message);
    }
  }, 60_000);
});
