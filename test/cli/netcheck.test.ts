/**
 * `shipshape netcheck` and its topology reader on bad input: the document is untrusted (a stack
 * output file), so each problem names the field and nothing reaches the engine. The measurement
 * itself is tested against the real engine in test/e2e/segmented-networks.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../../src/cli/program";
import type { EdgeArgs } from "../../src/components/segmented-networks/args";
import { planSegments } from "../../src/components/segmented-networks/spec";
import { parseTopology } from "../../src/netcheck/discover";

const dir = mkdtempSync(join(tmpdir(), "ss17-netcheck-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const topology = planSegments("shop", {
  docker: {},
  tiers: [{ name: "app" }],
  services: [
    { name: "api", tier: "app", ports: [9000] },
    { name: "db", tier: "app", ports: [5432] },
  ],
  edges: [{ from: "api", to: "db" }],
}).topology;

async function netcheck(doc: unknown, extra: string[] = ["--probe-image", "x:1"]) {
  const file = join(dir, `t${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof doc === "string" ? doc : JSON.stringify(doc));
  let stdout = "";
  let stderr = "";
  const code = await runCliAsync(["netcheck", "--topology", file, ...extra], {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

describe("shipshape netcheck on bad input", () => {
  it("reads a topology back, alone or inside the stack's outputs", () => {
    expect(parseTopology(JSON.stringify(topology))).toEqual(topology);
    expect(parseTopology(JSON.stringify({ url: "x", topology }))).toEqual(topology);
  });

  it("exits 2 naming the field of a topology that is not one", async () => {
    const cases: [unknown, string][] = [
      ["{", "the topology is not JSON"],
      [
        { ...topology, reachable: [{ from: "api", to: "cache" }] },
        "topology reachable.0: joins a service the topology does not list",
      ],
      [
        { ...topology, services: [{ name: "api\u001b[31m", tier: "app", ports: [] }] },
        "topology services.0.name: must be a service or tier name",
      ],
      [
        { ...topology, services: [{ name: "api", tier: "app", ports: [70000] }] },
        "topology services.0.ports.0: must be a port from 1 to 65535",
      ],
      [
        { ...topology, attachments: { api: ["bad name"] } },
        "topology attachments.api.0: must be a network name",
      ],
      [{ url: "x" }, "no topology in the document"],
    ];
    for (const [doc, message] of cases) {
      const r = await netcheck(doc);
      expect(r.code, message).toBe(2);
      expect(r.stderr).toContain(message);
      // Untrusted text is never echoed raw.
      expect(r.stderr).not.toContain("\u001b");
    }
  });

  it("refuses a Kubernetes topology and a missing probe image", async () => {
    const k8s = await netcheck({ ...topology, platform: "kubernetes" });
    expect(k8s.code).toBe(2);
    expect(k8s.stderr).toContain("the topology targets Kubernetes");
    const noImage = await netcheck(topology, []);
    expect(noImage.code).toBe(2);
    expect(noImage.stderr).toContain("--probe-image");
  });
});

async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCliAsync(["netcheck", ...args], {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

describe("shipshape netcheck --service and --create-policy", () => {
  it("refuses a --service the topology does not have, before reaching the engine", async () => {
    const r = await netcheck(topology, [
      "--probe-image",
      "x:1",
      "--service",
      "cache",
      "--host",
      "unix:///nonexistent.sock",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `option '--service' "cache" is not a service of the topology; give one of api, db`,
    );
  });

  it("writes a service's ingress and egress as SegmentedNetworks edges a stack imports", async () => {
    const out = join(dir, "web-policy.json");
    const r = await cli([
      "--create-policy",
      "--service",
      "web",
      "--ingress",
      "frontend",
      "--egress",
      "api:8080+8443,db",
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const policy = JSON.parse(readFileSync(out, "utf8")) as { service: string; edges: EdgeArgs[] };
    expect(policy).toEqual({
      service: "web",
      edges: [
        { from: "frontend", to: "web" },
        { from: "web", to: "api", ports: [8080, 8443] },
        { from: "web", to: "db" },
      ],
    });
    // The file is SegmentedNetworks' own edges: a stack imports it and the graph has them.
    const plan = planSegments("shop", {
      docker: {},
      tiers: [{ name: "app" }],
      services: ["frontend", "web", "api", "db"].map((name) => ({
        name,
        tier: "app",
        ports: name === "api" ? [8080, 8443] : [80],
      })),
      edges: [...policy.edges],
    });
    expect(plan.topology.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual([
      "frontend>web",
      "web>api",
      "web>db",
    ]);
  });

  it("refuses a policy without a service, without peers, or with a bad name or port, writing nothing", async () => {
    const cases: [string[], RegExp][] = [
      [["--create-policy", "--ingress", "a"], /needs --service <name>/],
      [["--create-policy", "--service", "web"], /needs --ingress or --egress/],
      [
        ["--create-policy", "--service", "web", "--ingress", "Front_End"],
        /option '--ingress' "Front_End": a service name is lowercase/,
      ],
      [["--create-policy", "--service", "web", "--egress", "api:99999"], /ports are 1–65535/],
      [["--create-policy", "--service", "web", "--egress", "web"], /no edge to itself/],
      [["--service", "web", "--ingress", "a"], /go with --create-policy/],
    ];
    for (const [args, message] of cases) {
      const r = await cli([...args, "--out", join(dir, "never.json")]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(join(dir, "never.json"))).toBe(false);
  });
});
