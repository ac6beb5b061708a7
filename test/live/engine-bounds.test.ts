import { execFileSync } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliProcess, ensureBuilt, fixtureDir, removeDir } from "../cli/helpers";
import { describeDocker, requireEngine } from "./engine-helpers";

/** Defect 7, live half: the whole engine read is bounded, not only an idle socket. */
describe("a live audit of an engine that trickles", () => {
  let dir: string;
  let server: Server;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let socketPath: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fixtureDir([]);
    socketPath = join(dir, "trickle.sock");
    // Answers every request with one byte of an HTTP response every 2 s, forever: never idle
    // long enough for an idle timeout, never done.
    server = createServer((socket) => {
      sockets.add(socket);
      const response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: ";
      let sent = 0;
      const timer = setInterval(() => {
        socket.write(sent < response.length ? (response[sent] as string) : "x");
        sent++;
      }, 2000);
      timers.add(timer);
      socket.on("error", () => undefined);
      socket.on("close", () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  });
  afterAll(async () => {
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
    removeDir(dir);
  });

  it("gives up after --timeout with exit 2 and a message naming the engine and the option", async () => {
    const started = Date.now();
    const r = await cliProcess(
      ["audit", "--docker", "--host", `unix://${socketPath}`, "--timeout", "3"],
      dir,
    );
    const seconds = (Date.now() - started) / 1000;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error: cannot reach the Docker engine at unix://${socketPath}: no complete answer within 3 s`,
    );
    expect(r.stderr).toContain("raise --timeout");
    expect(seconds).toBeLessThan(15);
    expect(sockets.size).toBeGreaterThan(0);
  }, 60_000);
});

describeDocker("--daemon-config that is a FIFO", () => {
  let dir: string;
  beforeAll(async () => {
    await requireEngine();
    await ensureBuilt();
    dir = fixtureDir([]);
  });
  afterAll(() => removeDir(dir));

  it("times out on a FIFO with no writer instead of hanging", async () => {
    const fifo = join(dir, "daemon.json");
    execFileSync("mkfifo", [fifo]);
    const started = Date.now();
    const r = await cliProcess(["audit", "--docker", "--daemon-config", fifo, "--timeout", "3"], dir);
    expect(r.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.stderr).toMatch(/no data arrived within 3 s|no complete answer within 3 s/);
  }, 60_000);
});
