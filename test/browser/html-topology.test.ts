/**
 * The HTML report of a project with a SegmentedNetworks program embeds the topology's picture
 * (Graphviz's SVG as an <img>, so nothing in it can run): every service and allowed edge is in
 * the SVG, and headless chromium shows it under the report's Content-Security-Policy.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cliProcess, ensureBuilt, ROOT } from "../cli/helpers";
import { colourCounts, decodePng, describeChromium, dumpDom, requireChromium, screenshot } from "./chromium";

const PROGRAM = join(ROOT, "examples", "segmented-networks-docker");

describeChromium("the HTML report draws the audited programs' network topology", () => {
  let dir: string;
  let page: string;
  let html: string;

  beforeAll(async () => {
    await ensureBuilt();
    await requireChromium();
    dir = mkdtempSync(join(tmpdir(), "shipshape-html-topology-"));
    page = join(dir, "report.html");
    const r = await cliProcess(["audit", PROGRAM, "--format", "html", "-o", page], ROOT);
    expect([0, 1], r.stderr).toContain(r.code);
    html = readFileSync(page, "utf8");
  }, 240_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("embeds the SVG with every service and edge, as an image, with a text alternative", () => {
    const img =
      /<section id="topology">.*?<img class="topology" alt="([^"]*)" src="data:image\/svg\+xml;base64,([^"]+)">/s.exec(
        html,
      );
    expect(img, html.slice(html.indexOf('id="topology"'), 2000)).not.toBeNull();
    const svg = Buffer.from(img?.[2] ?? "", "base64").toString("utf8");
    expect(svg).toMatch(/^<\?xml|<svg/);
    for (const service of ["web", "api", "db"]) expect(svg).toContain(`<title>svc:${service}</title>`);
    expect(svg).toContain("<title>svc:web&#45;&gt;svc:api</title>");
    expect(svg).toContain("<title>svc:api&#45;&gt;svc:db</title>");
    expect(svg).not.toContain("<title>svc:web&#45;&gt;svc:db</title>");
    expect(img?.[1]).toContain("allowed web → api, api → db");
    expect(svg).not.toMatch(/<script|onload=/i);
  });

  it("shows the picture in headless chromium under the report's CSP", async () => {
    const dom = await dumpDom(pathToFileURL(page).href);
    expect(dom).toContain('<section id="topology"><h2>Network topology (1)</h2>');
    // The picture follows the summary, so the first screen shows it.
    const shot = await screenshot(pathToFileURL(page).href);
    if (process.env.SHIPSHAPE_KEEP_SCREENSHOT) writeFileSync(process.env.SHIPSHAPE_KEEP_SCREENSHOT, shot);
    const png = decodePng(shot);
    // The tiers' fills (#fff4e5 outside-facing, #e8f0fe internal) are on the page, so the SVG drew.
    const colours = colourCounts(png);
    const near = (hex: string) =>
      [...colours.entries()].filter(([c]) => closeTo(c, hex)).reduce((n, [, k]) => n + k, 0);
    expect(near("#e8f0fe") + near("#fff4e5")).toBeGreaterThan(500);
  });
});

function closeTo(colour: string, hex: string): boolean {
  const parse = (s: string) => (s.match(/[0-9a-f]{2}/gi) ?? []).map((x) => Number.parseInt(x, 16));
  const [a, b] = [parse(colour), parse(hex)];
  return a.length >= 3 && a.slice(0, 3).every((v, i) => Math.abs(v - (b[i] ?? 0)) <= 6);
}
