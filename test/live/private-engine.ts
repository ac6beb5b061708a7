/**
 * A hardened engine of a test's own (scripts/hardened-engine.sh with its own socket, roots,
 * network namespace, config and log directories), so that restarting or purging it disturbs no
 * one else's; and `eventually`, the polling wait the tests on it share.
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = resolve(__dirname, "..", "..");

export interface PrivateEngine {
  /** The environment hardened-engine.sh runs with. */
  env: NodeJS.ProcessEnv;
  socket: string;
  /** `unix://<socket>`. */
  host: string;
  /** The engine's network namespace (its name is the id). */
  netns: string;
  control(action: "start" | "stop" | "purge"): Promise<void>;
}

export function privateEngine(id: string): PrivateEngine {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SHIPSHAPE_ENGINE_SOCKET: `/run/${id}.sock`,
    SHIPSHAPE_ENGINE_DATA_ROOT: `/var/lib/${id}`,
    SHIPSHAPE_ENGINE_EXEC_ROOT: `/run/${id}`,
    SHIPSHAPE_ENGINE_NETNS: id,
    SHIPSHAPE_ENGINE_CONF_DIR: join(tmpdir(), `${id}-conf`),
    SHIPSHAPE_LOG_DIR: join(tmpdir(), `${id}-logs`),
  };
  const socket = env.SHIPSHAPE_ENGINE_SOCKET as string;
  return {
    env,
    socket,
    host: `unix://${socket}`,
    netns: id,
    async control(action) {
      await run("bash", [join(ROOT, "scripts", "hardened-engine.sh"), action], {
        env,
        cwd: ROOT,
        timeout: 120_000,
      });
    },
  };
}

/** Polls `probe` until it returns a value; throws after `timeoutMs` with the last error it gave. */
export async function eventually<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  everyMs = 1000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (${String(last ?? "")})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
