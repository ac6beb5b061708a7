/** The pure parts of `shipshape analyze`: a window of stats samples as a profile, engine events as a history. */
import { describe, expect, it } from "vitest";
import { historyOf } from "../../src/analyze/history";
import { resourceProfile } from "../../src/analyze/resource-profile";
import type { StatsSample } from "../../src/watch/stats";

const MI = 1024 * 1024;
function sample(
  second: number,
  cpuNs: number,
  memory: number,
  extra: Partial<StatsSample> = {},
): StatsSample {
  return {
    read: new Date(Date.UTC(2026, 11, 1, 12, 0, second)).toISOString(),
    cpu_stats: { cpu_usage: { total_usage: cpuNs }, system_cpu_usage: second * 2e9, online_cpus: 2 },
    memory_stats: { usage: memory, limit: 64 * MI, stats: { inactive_file: MI } },
    ...extra,
  };
}

describe("resourceProfile", () => {
  it("averages, peaks and sums over the window, against the CPU limit", () => {
    const s = [
      sample(0, 0, 5 * MI, {
        networks: { eth0: { rx_bytes: 100, tx_bytes: 10 } },
        pids_stats: { current: 1 },
      }),
      sample(1, 0.25e9, 9 * MI, { pids_stats: { current: 3, limit: 32 } }),
      sample(2, 0.75e9, 17 * MI, {
        networks: { eth0: { rx_bytes: 600, tx_bytes: 60 }, eth1: { rx_bytes: 50, tx_bytes: 0 } },
        blkio_stats: {
          io_service_bytes_recursive: [
            { op: "read", value: 4096 },
            { op: "write", value: 8192 },
          ],
        },
        pids_stats: { current: 2, limit: 32 },
      }),
    ];
    const p = resourceProfile(s, 0.5);
    // 0.25 then 0.5 of a core, of a 0.5 CPU limit: 50 % then 100 %.
    expect(p?.cpu).toEqual({ averagePercent: 75, peakPercent: 100, p95Percent: 100, limitCpus: 0.5 });
    // Page cache (inactive_file) is not counted.
    expect(p?.memory.peakBytes).toBe(16 * MI);
    expect(p?.memory.averageBytes).toBe(12 * MI);
    expect(p?.memory.peakPercent).toBe(25);
    expect(p?.pids).toEqual({ peak: 3, limit: 32 });
    expect(p?.network).toEqual({ rxBytes: 550, txBytes: 50 });
    expect(p?.blockIo).toEqual({ readBytes: 4096, writeBytes: 8192 });
    expect(p?.seconds).toBe(2);
    expect(p?.points).toHaveLength(2);
  });

  it("has no profile for a stopped container's zeroed samples, and no pids limit for 'max'", () => {
    const zero = { read: "0001-01-01T00:00:00Z", cpu_stats: {}, memory_stats: {} } as StatsSample;
    expect(resourceProfile([zero, zero])).toBeUndefined();
    expect(resourceProfile([])).toBeUndefined();
    const unlimited = resourceProfile([
      sample(0, 0, MI, { pids_stats: { current: 1, limit: 2 ** 64 - 1 } }),
      sample(1, 1e8, MI, { pids_stats: { current: 1, limit: 2 ** 64 - 1 } }),
    ]);
    expect(unlimited?.pids).toEqual({ peak: 1 });
    expect(unlimited?.cpu.limitCpus).toBeUndefined();
  });
});

describe("historyOf", () => {
  const at = (s: number) => ({ time: 1_764_590_400 + s });
  it("counts starts, restarts, exits with codes, OOM kills, kills, execs and health; keeps only an exec's program", () => {
    const h = historyOf(
      [
        { Action: "start", ...at(0) },
        { Action: "exec_create: sh -c echo hunter2", ...at(1) },
        { Action: "exec_start: sh -c echo hunter2", ...at(1) },
        { Action: "exec_die", ...at(1) },
        { Action: "health_status: unhealthy", ...at(2) },
        { Action: "oom", ...at(3) },
        { Action: "kill", Actor: { Attributes: { signal: "9" } }, ...at(3) },
        { Action: "die", Actor: { Attributes: { exitCode: "137" } }, ...at(3) },
        { Action: "restart", ...at(4) },
        { Action: "start", ...at(4) },
        { Action: "attach", ...at(5) },
      ],
      new Date(0),
    );
    expect(h).toMatchObject({
      starts: 2,
      restarts: 1,
      exits: 1,
      exitCodes: [137],
      oomKills: 1,
      kills: 1,
      execs: 1,
      unhealthy: 1,
    });
    expect(h.events.map((e) => e.action)).toEqual([
      "start",
      "exec",
      "health_status",
      "oom",
      "kill",
      "die",
      "restart",
      "start",
    ]);
    expect(h.events[1]?.detail).toBe("sh");
    expect(JSON.stringify(h)).not.toContain("hunter2");
  });
});
