import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/engine/finding";
import type { JsonReport } from "../../src/report/json-schema";
import { writeReport } from "../../src/report/output";
import { collectReport, summarize } from "../../src/report/report";
import { REPORT_FORMATS, type ReportFormat } from "../../src/report/reporters";
import { toSarif, writeSarifReport } from "../../src/report/sarif";
import { allRules } from "../../src/rules/catalog";
import { checkHtmlFile, checkJsonFile, checkXmlFile, JsonChecker } from "./well-formed";

const dir = mkdtempSync(join(tmpdir(), "shipshape-perf-reports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function checkJsonText(text: string, chunk = 7): Map<string, number> {
  const checker = new JsonChecker();
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunk) checker.feed(bytes.subarray(i, i + chunk));
  return checker.end();
}

function countKeys(value: unknown, counts = new Map<string, number>()): Map<string, number> {
  if (Array.isArray(value)) for (const v of value) countKeys(v, counts);
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      const name = Buffer.from(JSON.stringify(k).slice(1, -1)).subarray(0, 64).toString("utf8");
      counts.set(name, (counts.get(name) ?? 0) + 1);
      countKeys(v, counts);
    }
  return counts;
}

describe("the SARIF writer's result template", () => {
  it("writes the bytes JSON.stringify(toSarif(report), null, 2) does, for any findings", () => {
    const rules = allRules.slice(0, 3);
    const text = fc.string({ unit: "binary", maxLength: 12 });
    const finding = fc.record({
      ruleId: fc.oneof(fc.constantFrom(...rules.map((r) => r.id)), text),
      severity: fc.constantFrom("critical", "high", "medium", "low", "info"),
      message: text,
      file: fc.oneof(
        text,
        text.map((t) => `/abs/${t}`),
        fc.constantFrom("a/b.yaml", "/x y/ü.yaml"),
      ),
      line: fc.nat(),
      column: fc.nat(),
      object: text,
    });
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 6 }), (raw) => {
        const findings = raw.map((f) => ({ ...f, references: {}, resourceIndex: 0 })) as Finding[];
        const report = {
          findings,
          errors: [],
          rules,
          files: [],
          summary: summarize({
            findings,
            errors: [],
            filesAudited: 1,
            filesSkipped: 0,
            profile: "default",
            minSeverity: "info",
          }),
        };
        expect(collectReport(writeSarifReport)(report)).toBe(`${JSON.stringify(toSarif(report), null, 2)}\n`);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the well-formedness checkers", () => {
  it("the JSON checker accepts what JSON.stringify writes, counting keys, in any chunking", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 1, max: 50 }), fc.boolean(), (value, chunk, indent) => {
        const text = indent ? JSON.stringify(value, null, 2) : JSON.stringify(value);
        expect(checkJsonText(text, chunk)).toEqual(countKeys(value));
      }),
      { numRuns: 300 },
    );
  });

  it("the JSON checker rejects every cut-short container and the usual mistakes", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.array(fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue())),
        fc.nat(),
        (value, at) => {
          const text = JSON.stringify(value);
          const cut = text.slice(0, at % text.length);
          expect(() => checkJsonText(cut)).toThrow(/not well-formed JSON/);
        },
      ),
      { numRuns: 300 },
    );
    for (const bad of [
      '{"a":1,}',
      "[1,]",
      '{"a" 1}',
      "{'a':1}",
      '["a\u0001"]',
      '["\\x"]',
      "[01]",
      "[1] 2",
      "[tru]",
      '{"a":1}}',
    ])
      expect(() => checkJsonText(bad), bad).toThrow(/not well-formed JSON/);
  });

  it("the HTML check finds unclosed and crossed elements, raw markup in text and bare ampersands", async () => {
    const page = (body: string) =>
      `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><style>a>b{}</style></head><body>${body}</body></html>\n`;
    const file = join(dir, "check.html");
    writeFileSync(file, page("<p>a &amp; b &#39; <br></p>"));
    expect((await checkHtmlFile(file)).get("p")).toBe(1);
    for (const [body, why] of [
      ["<p><span></p></span>", /<\/p> closes <span>/],
      ["<p>", /<\/body> closes <p>/],
      ["<p>a < b</p>", /raw '<'/],
      ["<p>a > b</p>", /raw '<' or '>'/],
      ["<p>a & b</p>", /starts no entity/],
      ['<p title="x>y</p>', /not well-formed HTML/],
    ] as const) {
      writeFileSync(file, page(body));
      await expect(checkHtmlFile(file), body).rejects.toThrow(why);
    }
  });

  it("the XML check is expat's: it rejects what is not well-formed", async () => {
    const file = join(dir, "check.xml");
    writeFileSync(file, '<?xml version="1.0"?>\n<a><b x="1"/><b/></a>\n');
    expect(await checkXmlFile(file)).toEqual({ a: 1, b: 2 });
    writeFileSync(file, '<?xml version="1.0"?>\n<a><b x="1 & 2"/></a>\n');
    await expect(checkXmlFile(file)).rejects.toThrow(/not well-formed XML/);
  });
});

/** Untrusted text in every field a writer escapes: markup, quotes, controls, bidi, Markdown, a mention. */
const HOSTILE = "c<\"x\">&'y' \n[fake](u) |*_~` @team \u202e\u0007 ü 😀";

/**
 * A million findings over 1,000 files (two of them absolute, so SARIF writes file URIs), from
 * 50 distinct finding objects per file: the test holds the million references, not a million
 * objects, so what grows while writing is what the writers hold.
 */
function millionFindings(): { findings: Finding[]; files: string[] } {
  const rules = allRules.slice(0, 25);
  const files: string[] = [];
  const findings: Finding[] = [];
  for (let f = 0; f < 1000; f++) {
    const file =
      f === 0
        ? `/abs/dir ${HOSTILE}.yaml`
        : f === 1
          ? "/abs/plain.yaml"
          : `dir/${f === 2 ? HOSTILE : `f${f}`}.yaml`;
    files.push(file);
    const pool = Array.from({ length: 50 }, (_, k): Finding => {
      const rule = rules[(f + k) % rules.length] as (typeof rules)[number];
      return {
        ruleId: rule.id,
        severity: rule.severity,
        message: k % 5 === 0 ? `${rule.title}: ${HOSTILE}` : `${rule.title} in container "app-${k}"`,
        file,
        line: 3 + k * 4,
        column: 7,
        object: k % 7 === 0 ? `Pod default/${HOSTILE}` : `Deployment team-${f}/web-${k}`,
        references: rule.references,
        resourceIndex: k,
      };
    });
    for (let i = 0; i < 1000; i++) findings.push(pool[i % 50] as Finding);
  }
  return { findings, files };
}

/** Calls `each` with every line of the file (read as a stream); resolves to how many there were. */
async function lines(path: string, each: (line: string) => void): Promise<number> {
  let n = 0;
  let carry = "";
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    const parts = (carry + (chunk as string)).split("\n");
    carry = parts.pop() ?? "";
    for (const line of parts) each(line);
    n += parts.length;
  }
  if (carry !== "") {
    each(carry);
    n++;
  }
  return n;
}

const N = 1_000_000;

describe("a report of a million findings, written to a file in every format", () => {
  const { findings, files } = millionFindings();
  const report = {
    findings,
    errors: [],
    rules: allRules.slice(0, 25),
    files,
    summary: summarize({
      findings,
      errors: [],
      filesAudited: files.length,
      filesSkipped: 0,
      profile: "default",
      minSeverity: "info",
    }),
  };
  const SEVERITY = "(critical|high|medium|low|info)";

  /** Per format: how the written file is checked, from its parse. */
  const checks: Record<ReportFormat, (path: string) => Promise<void>> = {
    json: async (path) => {
      // About 260 MB: under V8's longest string, so JSON.parse itself reads it back.
      const parsed = JSON.parse(readFileSync(path, "utf8")) as JsonReport;
      expect(parsed.findings).toHaveLength(N);
      expect(parsed.summary.findings).toBe(N);
      // Every field survives the trip, the hostile text included.
      const i = 2 * 1000 + 0; // file 2 (named with the hostile text), its first finding
      const { references, ...written } = parsed.findings[i] as JsonReport["findings"][number];
      const { references: expected, fix: _fix, resourceIndex: _index, ...original } = findings[i] as Finding;
      expect(written).toEqual({ ...original, fixable: false });
      expect(references).toEqual(expected);
    },
    sarif: async (path) => {
      const keys = await checkJsonFile(path);
      // One ruleId and one region per result, none elsewhere (no notifications: no errors).
      expect(keys.get("ruleId")).toBe(N);
      expect(keys.get("startLine")).toBe(N);
    },
    junit: async (path) => {
      const counts = await checkXmlFile(path);
      expect(counts).toMatchObject({ testsuites: 1, testsuite: 1000, testcase: N, failure: N });
    },
    html: async (path) => {
      const counts = await checkHtmlFile(path);
      expect(counts.get("li")).toBe(N);
      expect(counts.get("script")).toBeUndefined();
    },
    text: async (path) => {
      const finding = new RegExp(`^[^\\n]+:\\d+:7: ${SEVERITY}: .+ \\[[a-z0-9-]+\\] \\(.+\\)$`);
      let matched = 0;
      let last = "";
      const total = await lines(path, (line) => {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: no raw control character may reach a terminal
        if (/[\u0000-\u001f\u202e]/.test(line))
          throw new Error(`a raw control character: ${JSON.stringify(line)}`);
        if (finding.test(line)) matched++;
        last = line;
      });
      expect(matched).toBe(N);
      expect(total).toBe(N + 2);
      expect(last).toMatch(/^1000000 findings \(.*\), 0 errors, 1000 files audited$/);
    },
    markdown: async (path) => {
      let rows = 0;
      const row = new RegExp(`^\\| ${SEVERITY} \\|`);
      await lines(path, (line) => {
        if (!row.test(line)) return;
        // Six cells: every `|` of an untrusted text is escaped.
        const cells = line.split(/(?<!\\)\|/);
        if (cells.length !== 8) throw new Error(`a row of ${cells.length - 2} cells: ${line}`);
        if (/<|\u202e/.test(line)) throw new Error(`raw markup in a row: ${line}`);
        rows++;
      });
      expect(rows).toBe(N);
    },
  };

  for (const format of REPORT_FORMATS) {
    it(`${format}: the file parses and holds every finding; memory stays bounded`, async () => {
      const out = join(dir, `report.${format}`);
      const before = process.resourceUsage().maxRSS;
      const heapBefore = process.memoryUsage().heapUsed;
      let stdout = 0;
      writeReport(format, report, () => stdout++, out);
      // Peak resident memory of the whole process (KiB): what writing the file added to it.
      const grownMiB = (process.resourceUsage().maxRSS - before) / 1024;
      const heapGrownMiB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
      expect(stdout).toBe(0);
      expect(grownMiB, `peak RSS grew ${grownMiB.toFixed(0)} MiB`).toBeLessThan(200);
      expect(heapGrownMiB, `heap grew ${heapGrownMiB.toFixed(0)} MiB`).toBeLessThan(200);
      expect(statSync(out).size).toBeGreaterThan(50 * N);
      await checks[format](out);
      rmSync(out);
      // About 20 s a format on a quiet machine (writing, then parsing hundreds of MB).
    }, 120_000);
  }
});
