/** The parts of one Engine API stats sample (`GET /containers/{id}/stats`) the resource check reads. */
export interface StatsSample {
  read?: string;
  cpu_stats?: {
    cpu_usage?: { total_usage?: number };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  memory_stats?: {
    usage?: number;
    limit?: number;
    stats?: Record<string, number>;
  };
  pids_stats?: { current?: number; limit?: number };
  /** Per interface, cumulative since the container started. */
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  /** Cumulative block I/O (cgroup v2 reports it as `io_service_bytes_recursive` too). */
  blkio_stats?: { io_service_bytes_recursive?: { op?: string; value?: number }[] | null };
}

/** Resource usage over one window, in percent of the container's limits. */
export interface Usage {
  /** CPU used, in percent of the container's CPU limit (of one CPU when it has none). */
  cpuPercent: number;
  /** CPUs used on average (1 = one core busy). */
  cpuCores: number;
  /** Memory in use (without reclaimable page cache), in percent of the memory limit. */
  memoryPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  /** The window's length in seconds. */
  seconds: number;
}

/** A container's CPU limit in CPUs (`NanoCpus`, or quota / period); undefined without one. */
export function cpuLimitOf(info: {
  HostConfig: { NanoCpus?: number; CpuQuota?: number; CpuPeriod?: number };
}): number | undefined {
  const host = info.HostConfig;
  if (host.NanoCpus && host.NanoCpus > 0) return host.NanoCpus / 1e9;
  if (host.CpuQuota && host.CpuQuota > 0)
    return host.CpuQuota / (host.CpuPeriod && host.CpuPeriod > 0 ? host.CpuPeriod : 100_000);
  return undefined;
}

function time(sample: StatsSample): number {
  return sample.read ? Date.parse(sample.read) : Number.NaN;
}

/** Seconds between two samples (NaN when either has no time). */
export function sampleGap(from: StatsSample, to: StatsSample): number {
  return (time(to) - time(from)) / 1000;
}

/**
 * Usage between two samples of one container. `cpuLimit` is the container's CPU limit in CPUs
 * (`NanoCpus / 1e9`, or quota / period), undefined without one. Undefined when the samples do not
 * allow a measure (a stopped container's zeroed sample, no time between them).
 */
export function usageBetween(from: StatsSample, to: StatsSample, cpuLimit?: number): Usage | undefined {
  const seconds = sampleGap(from, to);
  const cpuFrom = from.cpu_stats?.cpu_usage?.total_usage;
  const cpuTo = to.cpu_stats?.cpu_usage?.total_usage;
  if (!(seconds > 0) || cpuFrom === undefined || cpuTo === undefined || cpuTo < cpuFrom) return undefined;
  const systemDelta = (to.cpu_stats?.system_cpu_usage ?? 0) - (from.cpu_stats?.system_cpu_usage ?? 0);
  const online = to.cpu_stats?.online_cpus ?? 0;
  // As `docker stats` computes it when the engine reports host CPU time; wall time otherwise.
  const cpuCores =
    systemDelta > 0 && online > 0
      ? ((cpuTo - cpuFrom) / systemDelta) * online
      : (cpuTo - cpuFrom) / (seconds * 1e9);
  const cpuPercent = (cpuCores / (cpuLimit && cpuLimit > 0 ? cpuLimit : 1)) * 100;
  const mem = to.memory_stats ?? {};
  const cache = mem.stats?.inactive_file ?? mem.stats?.total_inactive_file ?? 0;
  const memoryBytes = Math.max(0, (mem.usage ?? 0) - cache);
  const memoryLimitBytes = mem.limit ?? 0;
  const memoryPercent = memoryLimitBytes > 0 ? (memoryBytes / memoryLimitBytes) * 100 : 0;
  return { cpuPercent, cpuCores, memoryPercent, memoryBytes, memoryLimitBytes, seconds };
}

/**
 * Splits a byte stream of JSON documents, one a line (the Engine API's stats and events
 * streams), calling `onValue` for each. Lines that are not JSON are passed to `onBadLine`.
 */
export function jsonLines(
  onValue: (value: unknown) => void,
  onBadLine: (line: string) => void = () => undefined,
): (chunk: Buffer | string) => void {
  let rest = "";
  return (chunk) => {
    rest += chunk.toString();
    let nl = rest.indexOf("\n");
    while (nl >= 0) {
      const line = rest.slice(0, nl).trim();
      rest = rest.slice(nl + 1);
      if (line !== "") {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          onBadLine(line);
          nl = rest.indexOf("\n");
          continue;
        }
        onValue(value);
      }
      nl = rest.indexOf("\n");
    }
    // A stream that never sends a newline must not grow without bound.
    if (rest.length > 16 * 1024 * 1024) rest = "";
  };
}
