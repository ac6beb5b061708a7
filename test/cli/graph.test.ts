/**
 * `shipshape graph`: a topology laid out by Graphviz (Debian's dot) into SVG and PNG. The SVG is
 * opened in headless Chromium (a real XML parser: a malformed document shows its error page) and
 * must hold every service as a node and every allowed edge as an arrow, with their ports; the
 * PNG is a real image. Needs dot and chromium (scripts/setup.sh installs both); skipped only with
 * SHIPSHAPE_SKIP_CHROMIUM=1.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runCliAsync } from "../../src/cli/program";
import { planSegments } from "../../src/components/segmented-networks/spec";
import { dotString } from "../../src/graph/dot";
import { colourCounts, decodePng, describeChromium, dumpDom, requireChromium } from "../browser/chromium";

const run = promisify(execFile);

function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  return runCliAsync(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  }).then((code) => ({ code, stdout, stderr }));
}

const topology = planSegments("shop", {
  docker: {},
  tiers: [{ name: "edge", internal: false }, { name: "app" }, { name: "data" }],
  services: [
    { name: "web", tier: "edge", ports: [8080] },
    { name: "api", tier: "app", ports: [9000] },
    { name: "audit", tier: "app", ports: [7000] },
    { name: "db", tier: "data", ports: [5432] },
  ],
  edges: [
    { from: "web", to: "api" },
    { from: "api", to: "db" },
  ],
}).topology;

describeChromium("shipshape graph", () => {
  let dir: string;
  beforeAll(async () => {
    await requireChromium();
    await run("dot", ["-V"]).catch(() => {
      throw new Error("Graphviz's dot is missing: run scripts/setup.sh (it installs Debian's graphviz)");
    });
    dir = mkdtempSync(join(tmpdir(), "ss17-graph-"));
    writeFileSync(join(dir, "topology.json"), JSON.stringify(topology));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes SVG and PNG that show every service, edge and port", async () => {
    const out = join(dir, "shop");
    const result = await cli(["graph", join(dir, "topology.json"), "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(`${out}.png`)).toBe(true);
    const dom = await dumpDom(`file://${out}.svg`);
    expect(dom).not.toMatch(/error on line|This page contains the following errors/);
    const titles = (kind: string) =>
      [...dom.matchAll(new RegExp(`<g id="[^"]*" class="${kind}">\\s*<title>([^<]*)</title>`, "g"))].map(
        (m) => (m[1] ?? "").replace(/&gt;/g, ">").replace(/&#45;/g, "-").replace(/&amp;/g, "&"),
      );
    expect(titles("node").sort()).toEqual(["outside", "svc:api", "svc:audit", "svc:db", "svc:web"]);
    expect(titles("edge").sort()).toEqual(["outside->svc:web", "svc:api->svc:db", "svc:web->svc:api"]);
    expect(titles("cluster")).toHaveLength(3);
    for (const text of ["tier edge (talks to the outside)", "tier data (internal)", ":5432", ":9000"])
      expect(dom).toContain(text);
    const png = decodePng(readFileSync(`${out}.png`));
    expect(png.width).toBeGreaterThan(200);
    // Filled tiers, text and arrows: more than a blank page's one or two colours.
    expect(colourCounts(png).size).toBeGreaterThan(20);
  }, 180_000);

  it("draws the topology a Pulumi program declares (the reference stack, run under mocks)", async () => {
    const out = join(dir, "reference");
    const result = await cli(["graph", join(__dirname, "..", "..", "stacks", "docker"), "--out", out]);
    expect(result.code, result.stderr).toBe(0);
    const svg = readFileSync(`${out}.svg`, "utf8");
    const titles = [...svg.matchAll(/<g id="[^"]*" class="(node|edge)">\s*<title>([^<]*)<\/title>/g)].map(
      (m) => `${m[1]} ${(m[2] ?? "").replace(/&#45;&gt;/g, "->")}`,
    );
    expect(titles.sort()).toEqual([
      "edge outside->svc:web",
      "node outside",
      "node svc:web",
      "node svc:worker",
    ]);
  }, 180_000);

  it("refuses a document that is not a topology, naming the field", async () => {
    writeFileSync(
      join(dir, "bad.json"),
      JSON.stringify({ ...topology, services: [{ name: 'x"y', tier: "edge", ports: [] }] }),
    );
    const result = await cli(["graph", join(dir, "bad.json"), "--out", join(dir, "bad")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("topology services.0.name: must be a service or tier name");
  });
});

it("escapes DOT strings: quotes, backslashes, line breaks and control characters", () => {
  expect(dotString('a"b\\c\nd\u001b[31m')).toBe('"a\\"b\\\\c\\nd[31m"');
});
