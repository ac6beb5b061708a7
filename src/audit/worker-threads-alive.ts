import { readdirSync, readFileSync } from "node:fs";

/**
 * The names of this process's running threads (Node names a worker thread's OS thread after
 * the worker's `name`, cut to 15 characters), read from `/proc/self/task`; `undefined` where
 * the system does not list them. Synchronous: it works while the event loop is blocked.
 */
export function workerThreadsAlive(): Set<string> | undefined {
  let tasks: string[];
  try {
    tasks = readdirSync("/proc/self/task");
  } catch {
    return undefined;
  }
  const names = new Set<string>();
  for (const task of tasks) {
    try {
      names.add(readFileSync(`/proc/self/task/${task}/comm`, "utf8").trimEnd());
    } catch {
      // The thread ended while we listed: it is not alive.
    }
  }
  return names;
}
