/**
 * SegmentedNetworks on Kubernetes: the NetworkPolicies it registers, and the matrix they allow as
 * an independent NetworkPolicy engine computes it from the YAML alone: cyclonus (built from the
 * Go module proxy by scripts/netpol-tools/build.sh, which setup runs), in its synthetic probe
 * mode. The matrix must equal the declared graph, port by port and one way only, plus DNS to
 * kube-dns for every pod. Fails when cyclonus is missing, unless SHIPSHAPE_SKIP_CYCLONUS=1.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { SegmentedNetworks, type SegmentedNetworksArgs } from "../../src/components";
import { topologyPolicies } from "../../src/components/segmented-networks/kubernetes";
import { planSegments } from "../../src/components/segmented-networks/spec";
import type { KubernetesTarget } from "../../src/components/target";
import { runUnderMocks } from "../../src/program/mock-run";

const run = promisify(execFile);
const cache =
  process.env.SHIPSHAPE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "shipshape");
const CYCLONUS = join(cache, "tools", "bin", "cyclonus");
const skip = process.env.SHIPSHAPE_SKIP_CYCLONUS === "1";

const args = (): SegmentedNetworksArgs => ({
  kubernetes: { namespace: "shop" },
  prefix: "shop",
  tiers: [{ name: "edge", internal: false }, { name: "app" }, { name: "data" }],
  services: [
    { name: "web", tier: "edge", ports: [8080] },
    { name: "api", tier: "app", ports: [9000, 9090] },
    { name: "audit", tier: "app", ports: [7000] },
    { name: "db", tier: "data", ports: [5432] },
  ],
  edges: [
    { from: "web", to: "api", ports: [9000] },
    { from: "api", to: "db" },
    { from: "audit", to: "db" },
  ],
});

describe("SegmentedNetworks on Kubernetes (mocks)", () => {
  it("registers default deny, DNS egress, one ingress and one egress policy per edge, and outside access for the edge tier", async () => {
    const rs = await runUnderMocks(() => {
      new SegmentedNetworks("shop", args());
    });
    expect(rs.map((r) => r.type).filter((t) => t !== "shipshape:index:SegmentedNetworks")).toEqual(
      Array(9).fill("kubernetes:networking.k8s.io/v1:NetworkPolicy"),
    );
    const names = rs.flatMap((r) => {
      const name = (r.inputs as { metadata?: { name?: string } }).metadata?.name;
      return name ? [name] : [];
    });
    expect(names.sort()).toEqual(
      [
        "shop-default-deny",
        "shop-dns",
        "shop-api.from.web",
        "shop-web.to.api",
        "shop-db.from.api",
        "shop-api.to.db",
        "shop-db.from.audit",
        "shop-audit.to.db",
        "shop-tier.edge.outside",
      ].sort(),
    );
    expect(rs.filter((r) => r.type.startsWith("docker:"))).toEqual([]);
  });
});

interface Pod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ip: string;
  ports: { port: number; protocol: string }[];
}

/** cyclonus's "Combined" table: rows are sources, columns targets; "." allowed, "X" denied. */
function combined(output: string): Map<string, boolean> {
  const lines = output.slice(output.indexOf("Combined:")).split("\n").slice(1);
  // The table: its border and rows, up to the first line that is neither.
  const end = lines.findIndex((l) => !l.startsWith("|") && !l.startsWith("+"));
  const rows = lines
    .slice(0, end === -1 ? lines.length : end)
    .filter((l) => l.startsWith("|"))
    .map((l) =>
      l
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  const [header, ...body] = rows;
  const out = new Map<string, boolean>();
  for (const row of body) {
    const from = (row[0] ?? "").toLowerCase();
    row.slice(1).forEach((cell, i) => {
      const to = (header?.[i + 1] ?? "").toLowerCase();
      if (cell === "." || cell === "X") out.set(`${from}>${to}`, cell === ".");
    });
  }
  return out;
}

describe.skipIf(skip)("SegmentedNetworks' policies, evaluated by cyclonus", () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(CYCLONUS))
      throw new Error(
        `${CYCLONUS} missing: run scripts/netpol-tools/build.sh (scripts/setup.sh does), or set SHIPSHAPE_SKIP_CYCLONUS=1 to skip`,
      );
    dir = mkdtempSync(join(tmpdir(), "ss17-cyclonus-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("allow exactly the declared graph, port by port and one way, plus DNS for every pod", async () => {
    const plan = planSegments("shop", args());
    const manifests = topologyPolicies(plan.topology, plan.target as KubernetesTarget);
    // One file per policy: cyclonus reads the first document of a file only.
    mkdirSync(join(dir, "policies"));
    for (const m of manifests)
      writeFileSync(join(dir, "policies", `${m.metadata.name}.yaml`), YAML.stringify(m));
    const pods: Pod[] = plan.topology.services.map((s, i) => ({
      namespace: "shop",
      name: s.name,
      labels: { "app.kubernetes.io/name": s.name },
      ip: `10.1.0.${i + 10}`,
      ports: s.ports.map((port) => ({ port, protocol: "TCP" })),
    }));
    pods.push({
      namespace: "kube-system",
      name: "dns",
      labels: { "k8s-app": "kube-dns" },
      ip: "10.2.0.10",
      ports: [
        { port: 53, protocol: "UDP" },
        { port: 53, protocol: "TCP" },
      ],
    });
    const probes = [...new Set(pods.flatMap((p) => p.ports.map((q) => `${q.port}/${q.protocol}`)))].map(
      (k) => {
        const [port, protocol] = k.split("/");
        return { Port: Number(port), Protocol: protocol };
      },
    );
    const model = {
      Resources: {
        Namespaces: {
          shop: { "kubernetes.io/metadata.name": "shop" },
          "kube-system": { "kubernetes.io/metadata.name": "kube-system" },
        },
        Pods: pods.map((p) => ({
          Namespace: p.namespace,
          Name: p.name,
          Labels: p.labels,
          IP: p.ip,
          Containers: p.ports.map((q) => ({
            Name: `c${q.port}${q.protocol.toLowerCase()}`,
            Port: q.port,
            Protocol: q.protocol,
            PortName: `p${q.port}${q.protocol.toLowerCase()}`,
          })),
        })),
      },
      Probes: probes,
    };
    writeFileSync(join(dir, "model.json"), JSON.stringify(model));
    const { stdout } = await run(
      CYCLONUS,
      [
        "analyze",
        "--mode",
        "probe",
        "--policy-path",
        join(dir, "policies"),
        "--probe-path",
        join(dir, "model.json"),
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    // One table per probe (port/protocol), in the order given.
    const tables = stdout
      .split("Combined:")
      .slice(1, probes.length + 1)
      .map((t) => combined(`Combined:${t}`));
    expect(tables).toHaveLength(probes.length);
    const measured: string[] = [];
    probes.forEach((probe, i) => {
      for (const [pair, allowed] of tables[i] ?? []) {
        const [from, to] = pair.split(">") as [string, string];
        const target = pods.find((p) => `${p.namespace}/${p.name}` === to);
        const serves = target?.ports.some((q) => q.port === probe.Port && q.protocol === probe.Protocol);
        if (allowed && serves && from !== to) measured.push(`${from}>${to}:${probe.Port}/${probe.Protocol}`);
      }
    });
    const declared = [
      ...plan.topology.edges.flatMap((e) => e.ports.map((p) => `shop/${e.from}>shop/${e.to}:${p}/TCP`)),
      ...plan.topology.services.flatMap((s) => [
        `shop/${s.name}>kube-system/dns:53/UDP`,
        `shop/${s.name}>kube-system/dns:53/TCP`,
      ]),
    ];
    expect(measured.sort()).toEqual(declared.sort());
    // The port an edge leaves out stays closed: web reaches api on 9000, not on 9090.
    expect(measured).not.toContain("shop/web>shop/api:9090/TCP");
  }, 120_000);
});
