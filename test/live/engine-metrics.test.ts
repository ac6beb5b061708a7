import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { HardenedDaemon } from "../../src/components/hardened-daemon";
import { secureDaemonConfig } from "../../src/daemon-config";
import { describeDocker, requireEngine, type ScratchDaemon, startScratchDaemon } from "./engine-helpers";

const run = promisify(execFile);

/** A free loopback port (the kernel's choice). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describeDocker("the engine's metrics endpoint from HardenedDaemon's metricsAddress", () => {
  let daemon: ScratchDaemon | undefined;
  let port = 0;

  beforeAll(async () => {
    await requireEngine();
    port = await freePort();
    // A scratch engine, never the main one, with the generated daemon.json and metrics-addr.
    daemon = await startScratchDaemon(secureDaemonConfig({ metricsAddress: `127.0.0.1:${port}` }).config);
  }, 120_000);
  afterAll(async () => {
    await daemon?.stop();
  });

  it("dockerd serves Prometheus metrics on that address", async () => {
    // The scratch engine's loopback is its own network namespace's: fetch from there.
    const { stdout: text } = await run(
      "ip",
      [
        "netns",
        "exec",
        daemon?.netns as string,
        process.execPath,
        "-e",
        `fetch("http://127.0.0.1:${port}/metrics", { signal: AbortSignal.timeout(10000) }).then(async (r) => { if (r.status !== 200) process.exit(1); process.stdout.write(await r.text()); })`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    expect(text).toMatch(/^engine_daemon_engine_info\{/m);
    expect(text).toMatch(/^engine_daemon_container_states_containers\{state="running"\} \d+/m);
  }, 30_000);
});

it("HardenedDaemon writes metrics-addr, and refuses every interface before any child exists", () => {
  expect(secureDaemonConfig({ metricsAddress: "127.0.0.1:9323" }).config["metrics-addr"]).toBe(
    "127.0.0.1:9323",
  );
  expect(secureDaemonConfig().config).not.toHaveProperty("metrics-addr");
  expect(() => new HardenedDaemon("d", { metricsAddress: "0.0.0.0:9323" })).toThrow(
    /metricsAddress: "0\.0\.0\.0:9323" listens on every interface, and the metrics endpoint has no authentication; bind one address/,
  );
  expect(() => secureDaemonConfig({ metricsAddress: "localhost" })).toThrow(
    'metricsAddress: "localhost" is not an ip:port; give one such as 127.0.0.1:9323',
  );
});
