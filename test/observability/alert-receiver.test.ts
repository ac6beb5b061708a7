/**
 * `shipshape alerts receive` (the real CLI, a real HTTP client): each alert of an Alertmanager
 * webhook runs the command once, with the alert as JSON on standard input and the arguments given,
 * never through a shell; bad requests get their status and a reason, a failing command a 500 (so
 * Alertmanager retries); an address that is every interface, or taken, is exit 2. The real
 * Alertmanager delivering to it is test/e2e/observability-stack.test.ts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../e2e/pulumi-cli";
import { RECORDER, ROOT } from "../watch/watch-helpers";

interface Receiver {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function receive(args: string[]): Receiver {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), "alerts", "receive", ...args],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const webhook = (alerts: object[]) =>
  JSON.stringify({ version: "4", status: "firing", receiver: "webhook", groupKey: "{}:{}", alerts });
const HOSTILE = "$(touch /tmp/shipshape-pwned); `id` \u001b[31mred";

describe("shipshape alerts receive", () => {
  let dir: string;
  let port: number;
  let receiver: Receiver;
  let failing: Receiver;
  let failingPort: number;
  const url = (p = "/alerts") => `http://127.0.0.1:${port}${p}`;
  const record = () => join(dir, "recorded.jsonl");

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "ss18-receiver-"));
    port = await freePort();
    receiver = receive([
      "--listen",
      `127.0.0.1:${port}`,
      "--alert-command",
      process.execPath,
      "--alert-arg",
      RECORDER,
      "--alert-arg",
      record(),
      "--alert-arg",
      "two words",
      "--log-dir",
      join(dir, "log"),
    ]);
    failingPort = await freePort();
    failing = receive(["--listen", `127.0.0.1:${failingPort}`, "--alert-command", "/bin/false"]);
    await until(
      "both receivers listening",
      () => /receiving on/.test(receiver.stderr()) && /receiving on/.test(failing.stderr()),
    );
  }, 60_000);

  afterAll(async () => {
    for (const r of [receiver, failing]) {
      r?.child.kill("SIGTERM");
      await r?.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs the command once per alert, the alert on standard input, the arguments as given", async () => {
    const res = await fetch(url(), {
      method: "POST",
      body: webhook([
        {
          status: "firing",
          labels: { alertname: "ContainerCpuHigh", name: "burner" },
          annotations: { summary: "container burner uses 99% of its CPU limit" },
        },
        {
          status: "firing",
          labels: { alertname: "PrivilegedContainer", name: HOSTILE },
          annotations: { summary: HOSTILE },
        },
      ]),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("2 alert(s) received\n");
    const lines = readFileSync(record(), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { argv: string[]; alert: Record<string, unknown> });
    expect(lines).toHaveLength(2);
    expect(lines[0]?.argv).toEqual(["two words"]);
    expect(lines[0]?.alert).toMatchObject({
      version: 1,
      source: "alertmanager",
      status: "firing",
      alertname: "ContainerCpuHigh",
      labels: { name: "burner" },
    });
    // The hostile label reached the command as data: no shell ran it, and the printed line is escaped.
    expect((lines[1]?.alert.labels as Record<string, string> | undefined)?.name).toBe(HOSTILE);
    expect(existsSync("/tmp/shipshape-pwned")).toBe(false);
    await until("two printed lines", () => receiver.stdout().split("\n").filter(Boolean).length === 2);
    expect(receiver.stdout()).toContain(
      "alert firing ContainerCpuHigh burner: container burner uses 99% of its CPU limit",
    );
    expect(receiver.stdout()).not.toContain("\u001b");
    expect(
      readFileSync(join(dir, "log", "alerts.jsonl"), "utf8")
        .trim()
        .split("\n"),
    ).toHaveLength(2);
  }, 30_000);

  it("refuses what is not an Alertmanager webhook, with the status and the reason", async () => {
    const post = (body: string, path?: string) => fetch(url(path), { method: "POST", body });
    const bad = await post("not json");
    expect([bad.status, await bad.text()]).toEqual([400, "the body is not JSON\n"]);
    const shape = await post(
      JSON.stringify({
        version: "4",
        status: "firing",
        receiver: "w",
        alerts: [{ status: "on", labels: {} }],
      }),
    );
    expect(shape.status).toBe(400);
    expect(await shape.text()).toMatch(/^not an Alertmanager webhook: alerts\.0\.status: /);
    expect((await post(webhook([]), "/elsewhere")).status).toBe(404);
    expect((await fetch(url(), { method: "GET" })).status).toBe(405);
    const big = await post("x".repeat(1024 * 1024 + 10));
    expect(big.status).toBe(413);
    expect(readFileSync(record(), "utf8").trim().split("\n")).toHaveLength(2);
  }, 30_000);

  it("answers 500 when the command fails, so Alertmanager retries", async () => {
    const res = await fetch(`http://127.0.0.1:${failingPort}/alerts`, {
      method: "POST",
      body: webhook([{ status: "resolved", labels: { alertname: "ScrapeTargetDown" } }]),
    });
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("1 of 1 alert command(s) failed\n");
    await until("the failure on stderr", () =>
      /alerts: alert command "\/bin\/false" exited 1/.test(failing.stderr()),
    );
  }, 30_000);

  it("exits 2 on every interface, a bad address, or a port already taken", async () => {
    const wide = receive(["--listen", `0.0.0.0:${await freePort()}`]);
    expect(await wide.exited).toBe(2);
    expect(wide.stderr()).toMatch(/listens on every interface/);
    const bad = receive(["--listen", "gateway"]);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toMatch(/option '--listen' "gateway" is not host:port/);
    const taken = receive(["--listen", `127.0.0.1:${port}`]);
    expect(await taken.exited).toBe(2);
    expect(taken.stderr()).toMatch(new RegExp(`cannot listen on 127.0.0.1:${port}: .*EADDRINUSE`));
  }, 60_000);
});
