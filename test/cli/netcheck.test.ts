/**
 * `shipshape netcheck` and its topology reader on bad input: the document is untrusted (a stack
 * output file), so each problem names the field and nothing reaches the engine. The measurement
 * itself is tested against the real engine in test/e2e/segmented-networks.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../../src/cli/program";
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
