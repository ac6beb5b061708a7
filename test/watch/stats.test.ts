import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDuration, parsePercent } from "../../src/watch/options";
import { jsonLines, type StatsSample, usageBetween } from "../../src/watch/stats";

const sample = (
  iso: string,
  cpuNs: number,
  systemNs: number,
  online: number,
  mem = 0,
  limit = 0,
): StatsSample => ({
  read: iso,
  cpu_stats: { cpu_usage: { total_usage: cpuNs }, system_cpu_usage: systemNs, online_cpus: online },
  memory_stats: { usage: mem, limit, stats: { inactive_file: 0 } },
});

describe("resource usage between two stats samples", () => {
  it("computes CPU as docker stats does, in percent of the CPU limit", () => {
    // 10 s on 4 CPUs: 40e9 ns of host CPU time; the container used 5e9 ns = half a core.
    const from = sample("2026-01-01T00:00:00Z", 0, 0, 4);
    const to = sample("2026-01-01T00:00:10Z", 5e9, 40e9, 4, 48 * 2 ** 20, 64 * 2 ** 20);
    expect(usageBetween(from, to)?.cpuPercent).toBeCloseTo(50);
    expect(usageBetween(from, to, 0.5)?.cpuPercent).toBeCloseTo(100);
    expect(usageBetween(from, to)?.memoryPercent).toBeCloseTo(75);
    expect(usageBetween(from, to)?.seconds).toBe(10);
  });

  it("has no measure for a zeroed (stopped) sample or no time between samples", () => {
    const from = sample("2026-01-01T00:00:00Z", 9e9, 0, 4);
    expect(usageBetween(from, sample("2026-01-01T00:00:10Z", 0, 40e9, 4))).toBeUndefined();
    expect(usageBetween(from, from)).toBeUndefined();
    expect(usageBetween(from, { read: "2026-01-01T00:00:10Z" })).toBeUndefined();
  });

  it("the percent scales inversely with the limit (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.double({ min: 0.01, max: 64, noNaN: true }),
        (ns, limit) => {
          const from = sample("2026-01-01T00:00:00Z", 0, 0, 2);
          const to = sample("2026-01-01T00:00:01Z", ns, 2e9, 2);
          const one = usageBetween(from, to)?.cpuPercent ?? Number.NaN;
          const limited = usageBetween(from, to, limit)?.cpuPercent ?? Number.NaN;
          expect(limited).toBeCloseTo(one / limit, 6);
        },
      ),
    );
  });
});

describe("the Engine API's JSON lines", () => {
  it("splits documents across chunk boundaries, and passes bad lines on", () => {
    const values: unknown[] = [];
    const bad: string[] = [];
    const feed = jsonLines(
      (v) => values.push(v),
      (l) => bad.push(l),
    );
    feed('{"a":1}\n{"b"');
    feed(':2}\nnot json\n\n{"c":3}');
    expect(values).toEqual([{ a: 1 }, { b: 2 }]);
    expect(bad).toEqual(["not json"]);
    feed("\n");
    expect(values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });
});

describe("watch option values", () => {
  it("reads durations with units and percentages", () => {
    expect(parseDuration("90", "x")).toBe(90);
    expect(parseDuration("15m", "x")).toBe(900);
    expect(parseDuration("2h", "x")).toBe(7200);
    expect(parseDuration("1d", "x")).toBe(86400);
    expect(parsePercent("80%", "x")).toBe(80);
    expect(() => parseDuration("0", "option '--runtime-limit'")).toThrow(
      `option '--runtime-limit' "0" is not a duration; give a positive number of seconds, or one with a unit: 30s, 15m, 2h, 1d`,
    );
    expect(() => parsePercent("lots", "option '--resource-threshold'")).toThrow(
      `option '--resource-threshold' "lots" is not a percentage; give a positive number such as 80`,
    );
  });
});
