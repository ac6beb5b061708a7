import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cliInProcess, ROOT } from "../cli/helpers";
import { docker, importBusybox, requireEngine, SKIP_DOCKER, uniqueName } from "../live/engine-helpers";
import { colourCounts, decodePng, describeChromium, dumpDom, requireChromium, screenshot } from "./chromium";

const SCRIPT = "<script>alert(2)</script>";
const IMG = "<img src=x onerror=alert(1)>";
const QUOTES = `" onmouseover="alert(3)" '`;
/** A file name (no slash possible) with markup, quotes, an escape sequence and a bidi override. */
const HOSTILE_FILE = `evil<script>alert(4)${QUOTES}\u001b[2J\u202e.yaml`;
const HOSTILE_POD = `x${IMG}${SCRIPT}${QUOTES}`;
const HOSTILE_REASON = `${SCRIPT} the node exporter must listen on the node's port`;

const POD = [
  "apiVersion: v1",
  "kind: Pod",
  "metadata:",
  `  name: ${JSON.stringify(HOSTILE_POD)}`,
  "  annotations:",
  `    shipshape.io/suppress.host-ports: ${JSON.stringify(HOSTILE_REASON)}`,
  "spec:",
  "  containers:",
  "    - name: c",
  "      image: nginx:1.25",
  "      ports: [{ containerPort: 9100, hostPort: 9100 }]",
  "      securityContext:",
  "        privileged: true",
  "",
].join("\n");

/** What an injected element or attribute would look like in the serialized DOM. */
const INJECTED = [/<script/i, /<img/i, /<[a-z][^<>]*\son[a-z]+\s*=/i];

function expectInert(dom: string): void {
  for (const pattern of INJECTED) expect(dom).not.toMatch(pattern);
  for (const raw of ["\u001b", "\u202e"]) expect(dom).not.toContain(raw);
}

describeChromium("the HTML report in headless chromium", () => {
  let dir: string;
  let page: string;
  let dom: string;
  let summary: { findings: number; errors: number; bySeverity: Record<string, number> };
  beforeAll(async () => {
    await requireChromium();
    dir = mkdtempSync(join(tmpdir(), "shipshape-html-"));
    writeFileSync(join(dir, HOSTILE_FILE), POD);
    writeFileSync(join(dir, `bad${IMG}.yaml`), "apiVersion: v1\nkind: Pod\nmetadata: [\n");
    page = join(dir, "report.html");
    const html = cliInProcess(["audit", dir, "--format", "html", "-o", page]);
    expect(html.stderr).toBe("");
    expect(html.code).toBe(2); // an input error (the broken file) as well as findings
    const json = cliInProcess(["audit", dir, "--format", "json"]);
    summary = JSON.parse(json.stdout).summary;
    dom = await dumpDom(pathToFileURL(page).href);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("renders the counts by severity, the totals, and a chart", () => {
    expect(summary.findings).toBeGreaterThan(3);
    for (const [severity, n] of Object.entries(summary.bySeverity)) {
      expect(dom).toContain(`data-severity="${severity}">${n}</td>`);
    }
    expect(dom).toContain(`<td class="num" id="total-findings">${summary.findings}</td>`);
    expect(dom).toContain(`<td class="num" id="total-errors">${summary.errors}</td>`);
    expect(dom).toMatch(/<svg class="chart"[^>]*>.*<rect /s);
  });

  it("groups findings by file and rule, with the source line and a RULES.md link", () => {
    expect(dom).toContain("privileged-container");
    expect(dom).toContain('container "c" runs privileged; set securityContext.privileged to false');
    const link = dom.match(/href="([^"]*#privileged-container)"/)?.[1];
    expect(link).toMatch(/RULES\.md#privileged-container$/);
    expect(readFileSync(join(ROOT, "RULES.md"), "utf8")).toContain("\n### privileged-container\n");
    // The finding's line of source, quoted and marked.
    expect(dom).toMatch(/<span class="hit"><span class="ln">13<\/span> {8}privileged: true<\/span>/);
  });

  it("shows hostile names, messages, reasons and source as inert text", () => {
    expectInert(dom);
    const escapedScript = "&lt;script&gt;alert(2)&lt;/script&gt;";
    // The file name as a heading, its control characters as visible escapes.
    expect(dom).toContain(`evil&lt;script&gt;alert(4)${QUOTES}\\x1b[2J\\u202e.yaml`);
    // The object name, in the finding and in the quoted source line.
    expect(dom).toContain(`x&lt;img src=x onerror=alert(1)&gt;${escapedScript}${QUOTES}`);
    expect(dom).toContain(`${escapedScript} the node exporter must listen on the node's port`);
    // The input error's file name.
    expect(dom).toContain("bad&lt;img src=x onerror=alert(1)&gt;.yaml");
  });

  it("lists the suppression with its reason and the input error", () => {
    expect(dom).toMatch(/<section id="suppressions"><h2>Suppressions \(1\)<\/h2>/);
    expect(dom).toMatch(/<section id="errors"><h2>Input errors \(1\)<\/h2>/);
  });

  it("forbids scripts and every fetch through its Content-Security-Policy", () => {
    expect(dom).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    expect(dom).not.toMatch(/(src|href)="https?:/);
  });

  it("screenshots as a non-trivial 1200×900 picture with the chart's colours", async () => {
    const png = await screenshot(pathToFileURL(page).href);
    expect(png.length).toBeGreaterThan(20_000);
    const image = decodePng(png);
    expect([image.width, image.height]).toEqual([1200, 900]);
    const colours = colourCounts(image);
    expect(colours.size).toBeGreaterThan(20);
    // The most common colour (the background) is far from all of the page.
    const top = Math.max(...colours.values());
    expect(top).toBeLessThan(image.width * image.height * 0.97);
    // The critical and high bars are drawn in their colours.
    expect(colours.get("#6a1b9a") ?? 0).toBeGreaterThan(200);
    expect(colours.get("#c62828") ?? 0).toBeGreaterThan(200);
  });

  it("renders a `check` report of an example program", async () => {
    const out = join(dir, "check.html");
    const r = cliInProcess([
      "check",
      join(ROOT, "examples", "secure-service-docker"),
      "--format",
      "html",
      "-o",
      out,
    ]);
    expect(r.code).toBe(0);
    const checkDom = await dumpDom(pathToFileURL(out).href);
    expectInert(checkDom);
    expect(checkDom).toContain("<h1>shipshape check</h1>");
    expect(checkDom).toContain("image-not-verified");
    expect(checkDom).toContain('data-severity="medium">1</td>');
  });

  it.skipIf(SKIP_DOCKER)(
    "renders the live audit of the default engine (audit --docker), with a container's suppression",
    async () => {
      await requireEngine();
      const tag = `shipshape-test/html:${process.pid}`;
      const name = uniqueName("shipshape-html");
      await importBusybox(undefined, tag);
      try {
        await docker(undefined, [
          "run",
          "-d",
          "--network",
          "none",
          "--name",
          name,
          "--label",
          `shipshape.io/suppress.memory-limits=${HOSTILE_REASON}`,
          tag,
        ]);
        const out = join(dir, "live.html");
        const r = cliInProcess(["audit", "--docker", "--containers", name, "--format", "html", "-o", out]);
        expect(r.code).toBeLessThanOrEqual(1);
        const json = JSON.parse(
          cliInProcess(["audit", "--docker", "--containers", name, "--format", "json"]).stdout,
        );
        const liveDom = await dumpDom(pathToFileURL(out).href);
        expectInert(liveDom);
        expect(liveDom).toContain("<h1>shipshape audit --docker</h1>");
        expect(liveDom).toContain(`<td class="num" id="total-findings">${json.summary.findings}</td>`);
        for (const f of json.findings) expect(liveDom).toContain(`#${f.ruleId}">${f.ruleId}</a>`);
        expect(liveDom).toMatch(/<section id="suppressions"><h2>Suppressions \(1\)<\/h2>/);
        expect(liveDom).toContain("&lt;script&gt;alert(2)&lt;/script&gt; the node exporter must listen");
      } finally {
        await docker(undefined, ["rm", "-f", name]).catch(() => "");
        await docker(undefined, ["rmi", "-f", tag]).catch(() => "");
      }
    },
  );
});
