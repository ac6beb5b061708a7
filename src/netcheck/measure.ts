/**
 * Measures, on a real Docker engine, which service can open a TCP connection to which. For each
 * source container a short-lived probe container joins the source's network namespace
 * (`--network container:<source>`), so it sees exactly what the service sees, and tries every
 * port of every other service on each of that service's addresses with busybox `nc`. The probe
 * is itself locked down: read-only root, every capability dropped, no new privileges, uid 65534.
 * Commands run with argument arrays; the probe's script is a constant and the targets are its
 * positional arguments.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type NetworkTopology, pairKey } from "../components/segmented-networks/topology";

const run = promisify(execFile);

/** What to measure, and where. */
export interface MeasureOptions {
  topology: NetworkTopology;
  /** The containers of each topology service, by service name (names or IDs). */
  containers: Record<string, string[]>;
  /** An image with busybox `sh`, `nc` and `true` (the services' own busybox images qualify). */
  probeImage: string;
  /** Engine address (`unix:///…`, `tcp://…`). @default DOCKER_HOST, else the local socket */
  host?: string;
  /** Seconds `nc` waits for a connection. @default 1 */
  connectTimeoutSeconds?: number;
  /** Measure only the connections from and to this service (the seed's --test-connectivity). @default every pair */
  service?: string;
}

/** One measured (from, to, port): open or not, and what the graph says. */
export interface MatrixCell {
  from: string;
  to: string;
  port: number;
  open: boolean;
  expected: boolean;
}

export interface Matrix {
  cells: MatrixCell[];
  /** Cells where the measurement and the graph disagree. */
  differences: MatrixCell[];
  /** What was not measured, and why. */
  notes: string[];
}

/** The probe's script: `$1` is the timeout, then (label, address, port) triples. */
const PROBE_SCRIPT =
  'w=$1; shift; while [ $# -ge 3 ]; do if nc -w "$w" "$2" "$3" -e /bin/true </dev/null >/dev/null 2>&1; then echo "open $1"; else echo "closed $1"; fi; shift 3; done';

function dockerArgs(host: string | undefined, args: string[]): string[] {
  return host ? ["--host", host, ...args] : args;
}

interface ContainerFacts {
  id: string;
  running: boolean;
  addresses: string[];
}

async function inspect(host: string | undefined, container: string): Promise<ContainerFacts> {
  let stdout: string;
  try {
    ({ stdout } = await run("docker", dockerArgs(host, ["container", "inspect", container]), {
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (e) {
    throw new Error(
      `netcheck: cannot inspect container ${JSON.stringify(container)} (${
        String((e as { stderr?: string }).stderr ?? (e as Error).message)
          .trim()
          .split("\n")[0]
      })`,
    );
  }
  const [c] = JSON.parse(stdout) as {
    Id: string;
    State: { Running: boolean };
    NetworkSettings: { Networks: Record<string, { IPAddress: string }> | null };
  }[];
  if (!c) throw new Error(`netcheck: container ${JSON.stringify(container)} not found`);
  const addresses = Object.values(c.NetworkSettings.Networks ?? {})
    .map((n) => n.IPAddress)
    .filter((a) => a !== "");
  return { id: c.Id, running: c.State.Running, addresses };
}

/** Runs the probe in `source`'s network namespace over `targets`; returns the labels it reached. */
async function probeFrom(
  options: MeasureOptions,
  source: string,
  targets: { label: string; address: string; port: number }[],
): Promise<Set<string>> {
  const timeout = String(options.connectTimeoutSeconds ?? 1);
  const argv = [
    "run",
    "--rm",
    "--network",
    `container:${source}`,
    "--read-only",
    "--cap-drop",
    "ALL",
    "--security-opt",
    "no-new-privileges:true",
    "--user",
    "65534:65534",
    "--memory",
    "32m",
    "--pids-limit",
    "16",
    "--label",
    "shipshape.io/netcheck-probe=true",
    "--entrypoint",
    "/bin/sh",
    options.probeImage,
    "-c",
    PROBE_SCRIPT,
    "probe",
    timeout,
    ...targets.flatMap((t) => [t.label, t.address, String(t.port)]),
  ];
  let stdout: string;
  try {
    ({ stdout } = await run("docker", dockerArgs(options.host, argv), {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 30_000 + targets.length * (Number(timeout) + 1) * 1000,
    }));
  } catch (e) {
    throw new Error(
      `netcheck: the probe in ${source}'s network namespace failed (${
        String((e as { stderr?: string }).stderr ?? (e as Error).message)
          .trim()
          .split("\n")[0]
      }); the probe image ${options.probeImage} needs busybox sh, nc and true`,
    );
  }
  const reached = new Set<string>();
  for (const line of stdout.split("\n")) if (line.startsWith("open ")) reached.add(line.slice(5));
  return reached;
}

/** Measures the matrix: every ordered pair of services, every port of the target. */
export async function measureMatrix(options: MeasureOptions): Promise<Matrix> {
  const { topology } = options;
  const only = options.service;
  if (only !== undefined && !topology.services.some((s) => s.name === only))
    throw new Error(
      `netcheck: --service ${JSON.stringify(only)} is not a service of the topology; give one of ${topology.services.map((s) => s.name).join(", ")}`,
    );
  const measured = (from: string, to: string) =>
    from !== to && (only === undefined || from === only || to === only);
  const notes: string[] = [];
  const facts = new Map<string, ContainerFacts[]>();
  for (const s of topology.services) {
    const names = options.containers[s.name] ?? [];
    if (names.length === 0)
      throw new Error(
        `netcheck: no container of service ${JSON.stringify(s.name)} was given or found; deploy it (a SecureService with segment: { networks: … }) before probing`,
      );
    const list = await Promise.all(names.map((n) => inspect(options.host, n)));
    const stopped = list.filter((c) => !c.running);
    if (stopped.length > 0)
      throw new Error(
        `netcheck: ${stopped.length} container(s) of ${JSON.stringify(s.name)} are not running; a stopped service cannot be measured`,
      );
    facts.set(s.name, list);
  }
  const allowed = new Set(topology.reachable.map(pairKey));
  const cells: MatrixCell[] = [];
  const sources = topology.services.map(async (from) => {
    const targets = topology.services
      .filter((to) => measured(from.name, to.name))
      .flatMap((to) =>
        to.ports.flatMap((port) =>
          (facts.get(to.name) ?? []).flatMap((c) =>
            c.addresses.map((address) => ({ label: `${to.name}:${port}`, address, port })),
          ),
        ),
      );
    const reached = new Set<string>();
    if (targets.length > 0)
      for (const c of facts.get(from.name) ?? []) {
        let labels: Set<string>;
        try {
          labels = await probeFrom(options, c.id, targets);
        } catch (e) {
          // A container restarted between inspect and probe (its namespace went): once more, if it runs.
          if (!(await inspect(options.host, c.id)).running) throw e;
          labels = await probeFrom(options, c.id, targets);
        }
        for (const label of labels) reached.add(label);
      }
    for (const to of topology.services) {
      if (!measured(from.name, to.name)) continue;
      for (const port of to.ports)
        cells.push({
          from: from.name,
          to: to.name,
          port,
          open: reached.has(`${to.name}:${port}`),
          expected: allowed.has(pairKey({ from: from.name, to: to.name })),
        });
    }
  });
  await Promise.all(sources);
  for (const s of topology.services)
    if (s.ports.length === 0) notes.push(`${s.name} lists no ports: connections to it were not measured`);
  const order = new Map(topology.services.map((s, i) => [s.name, i]));
  cells.sort(
    (a, b) =>
      (order.get(a.from) ?? 0) - (order.get(b.from) ?? 0) ||
      (order.get(a.to) ?? 0) - (order.get(b.to) ?? 0) ||
      a.port - b.port,
  );
  return { cells, differences: cells.filter((c) => c.open !== c.expected), notes };
}

/** The matrix as text: one line per (from, to, port), differences marked. */
export function formatMatrix(matrix: Matrix): string {
  const rows = matrix.cells.map((c) => [
    `${c.from} → ${c.to}:${c.port}`,
    c.open ? "open" : "closed",
    c.expected ? "allowed" : "denied",
    c.open === c.expected ? "ok" : "DIFFERENT",
  ]);
  const header = ["pair", "measured", "declared", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  const summary =
    matrix.differences.length === 0
      ? `${matrix.cells.length} connection(s) measured: the network allows exactly what the graph declares`
      : `${matrix.differences.length} of ${matrix.cells.length} connection(s) differ from the graph`;
  return [line(header), ...rows.map(line), ...matrix.notes.map((n) => `note: ${n}`), summary].join("\n");
}
