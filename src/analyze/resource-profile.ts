/**
 * A container's resource profile over a window: what its stats stream said, sample by sample,
 * summed up as averages, peaks and totals. Pure functions of the samples, so they are tested
 * on recorded samples and used on live ones.
 */
import { type StatsSample, type Usage, usageBetween } from "../watch/stats";

/** One measured point: usage between two consecutive samples. */
export interface UsagePoint {
  /** The later sample's time (ISO 8601). */
  time: string;
  cpuPercent: number;
  memoryBytes: number;
  memoryPercent: number;
}

export interface ResourceProfile {
  /** Seconds between the first and the last sample. */
  seconds: number;
  /** Samples read from the stats stream. */
  samples: number;
  cpu: { averagePercent: number; peakPercent: number; p95Percent: number; limitCpus?: number };
  memory: { averageBytes: number; peakBytes: number; limitBytes: number; peakPercent: number };
  pids: { peak: number; limit?: number };
  /** Bytes over the window, all interfaces together. */
  network: { rxBytes: number; txBytes: number };
  /** Bytes over the window. */
  blockIo: { readBytes: number; writeBytes: number };
  /** The window point by point (for graphs). */
  points: UsagePoint[];
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function networkTotals(s: StatsSample): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(s.networks ?? {})) {
    rx += n.rx_bytes ?? 0;
    tx += n.tx_bytes ?? 0;
  }
  return { rx, tx };
}

function blockTotals(s: StatsSample): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = (e.op ?? "").toLowerCase();
    if (op === "read") read += e.value ?? 0;
    else if (op === "write") write += e.value ?? 0;
  }
  return { read, write };
}

/** The usage points of consecutive samples (pairs that allow no measure are left out). */
export function usagePoints(samples: readonly StatsSample[], cpuLimit?: number): UsagePoint[] {
  const points: UsagePoint[] = [];
  for (let i = 1; i < samples.length; i++) {
    const from = samples[i - 1] as StatsSample;
    const to = samples[i] as StatsSample;
    const u: Usage | undefined = usageBetween(from, to, cpuLimit);
    if (!u) continue;
    points.push({
      time: to.read ?? "",
      cpuPercent: round1(u.cpuPercent),
      memoryBytes: u.memoryBytes,
      memoryPercent: round1(u.memoryPercent),
    });
  }
  return points;
}

/**
 * The profile of a window of samples, in stream order; undefined when fewer than two samples
 * allow a measure (a stopped container's stream is all zeros).
 */
export function resourceProfile(
  samples: readonly StatsSample[],
  cpuLimit?: number,
): ResourceProfile | undefined {
  const points = usagePoints(samples, cpuLimit);
  const first = samples[0];
  const last = samples[samples.length - 1];
  if (points.length === 0 || !first || !last) return undefined;
  const cpus = points.map((p) => p.cpuPercent).sort((a, b) => a - b);
  const mems = points.map((p) => p.memoryBytes);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const p95 = cpus[Math.min(cpus.length - 1, Math.ceil(cpus.length * 0.95) - 1)] ?? 0;
  const memoryLimitBytes = last.memory_stats?.limit ?? 0;
  const peakBytes = Math.max(...mems);
  const netFrom = networkTotals(first);
  const netTo = networkTotals(last);
  const ioFrom = blockTotals(first);
  const ioTo = blockTotals(last);
  const pidsPeak = Math.max(...samples.map((s) => s.pids_stats?.current ?? 0));
  const pidsLimit = last.pids_stats?.limit;
  const seconds = (Date.parse(last.read ?? "") - Date.parse(first.read ?? "")) / 1000;
  const profile: ResourceProfile = {
    seconds: round1(Number.isFinite(seconds) ? seconds : 0),
    samples: samples.length,
    cpu: {
      averagePercent: round1(sum(cpus) / cpus.length),
      peakPercent: cpus[cpus.length - 1] ?? 0,
      p95Percent: p95,
    },
    memory: {
      averageBytes: Math.round(sum(mems) / mems.length),
      peakBytes,
      limitBytes: memoryLimitBytes,
      peakPercent: memoryLimitBytes > 0 ? round1((peakBytes / memoryLimitBytes) * 100) : 0,
    },
    // A pids limit of "max" is reported as a huge number (or 0): no limit.
    pids: {
      peak: pidsPeak,
      ...(pidsLimit && pidsLimit > 0 && pidsLimit < 2 ** 32 ? { limit: pidsLimit } : {}),
    },
    network: { rxBytes: Math.max(0, netTo.rx - netFrom.rx), txBytes: Math.max(0, netTo.tx - netFrom.tx) },
    blockIo: {
      readBytes: Math.max(0, ioTo.read - ioFrom.read),
      writeBytes: Math.max(0, ioTo.write - ioFrom.write),
    },
    points,
  };
  if (cpuLimit !== undefined) profile.cpu.limitCpus = cpuLimit;
  return profile;
}
