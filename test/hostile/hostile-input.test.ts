import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { extendsChain, podWithContainers } from "../../bench/corpus/hostile";
import { MAX_EXTENDS_DEPTH } from "../../src/adapters/compose/extends";
import type { Finding } from "../../src/engine/finding";
import { summarize } from "../../src/report/report";
import { REPORT_FORMATS, REPORT_WRITERS } from "../../src/report/reporters";
import { allRules } from "../../src/rules/catalog";
import { BAD_INPUT_MESSAGES, writeBadInputs } from "../cli/bad-input";
import { ensureBuilt, fixtureDir, removeDir } from "../cli/helpers";
import { cliBounded, inProcessBounded } from "./bounded";

/**
 * Hostile inputs, generated into a temporary directory: each case has a bound on time and memory
 * that the suite enforces (a case over either fails). The bounds are generous for a shared,
 * slow machine, and far below what the inputs cost before they were made linear or streamed.
 */
describe("hostile input, bounded per case", () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fixtureDir([]);
  });
  afterAll(() => removeDir(dir));

  it("the bounds are enforced: a case over its time or memory bound fails", async () => {
    writeFileSync(join(dir, "small.yaml"), podWithContainers(1));
    await expect(cliBounded(["audit", "small.yaml"], dir, { seconds: 60, memoryMiB: 1 })).rejects.toThrow(
      /over its memory bound: peak \d+ MiB > 1 MiB/,
    );
    await expect(
      cliBounded(["audit", "small.yaml"], dir, { seconds: 0.01, memoryMiB: 4000 }),
    ).rejects.toThrow(/over its time bound: still running after 0.01 s/);
    await expect(
      inProcessBounded({ seconds: 60, memoryMiB: 1 }, (sample) => {
        const held = new Array(4_000_000).fill(0).map((_, i) => i);
        sample();
        return held.length;
      }),
    ).rejects.toThrow(/over its memory bound: the heap grew \d+ MiB > 1 MiB/);
  }, 60_000);

  it("audits one pod with 5,000 containers in linear time (was 37–76 s)", async () => {
    writeFileSync(join(dir, "crowded.yaml"), podWithContainers(5000));
    // Every rule: each container has a dozen findings, so the pod asks for ~70,000 locations.
    const r = await cliBounded(["audit", "-f", "json", "crowded.yaml"], dir, { seconds: 20, memoryMiB: 800 });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.summary.findings).toBeGreaterThan(60_000);
    const privileged = report.findings.filter((f: { ruleId: string }) => f.ruleId === "privileged-container");
    expect(privileged).toHaveLength(5000);
    expect([privileged[0].line, privileged[4999].line]).toEqual([10, 4 * 4999 + 10]);
  }, 60_000);

  it(`follows an extends chain ${MAX_EXTENDS_DEPTH} deep in linear time (was 16–52 s)`, async () => {
    writeFileSync(join(dir, "chain.yaml"), extendsChain(MAX_EXTENDS_DEPTH));
    // Every rule: each service has findings for paths no layer sets, searched down the chain.
    const r = await cliBounded(["audit", "-f", "json", "chain.yaml"], dir, { seconds: 20, memoryMiB: 800 });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    // Every service inherits `privileged: true` from s0, and each finding points at s0's line.
    const privileged = report.findings.filter((f: { ruleId: string }) => f.ruleId === "privileged-container");
    expect(privileged).toHaveLength(MAX_EXTENDS_DEPTH + 1);
    expect(new Set(privileged.map((f: { line: number }) => f.line))).toEqual(new Set([4]));
  }, 60_000);

  it("refuses a 20,000-deep extends chain with a clear error and still audits the other files", async () => {
    writeFileSync(join(dir, "deep.yaml"), extendsChain(20_000));
    writeFileSync(
      join(dir, "other.yaml"),
      "services:\n  web:\n    image: nginx:1.25\n    privileged: true\n",
    );
    const r = await cliBounded(["audit", "--rule", "privileged-container", "deep.yaml", "other.yaml"], dir, {
      seconds: 20,
      memoryMiB: 800,
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(
      new RegExp(
        `^deep\\.yaml:\\d+:5: error: extends chain of service "s\\d+" is deeper than ${MAX_EXTENDS_DEPTH} services; flatten it`,
        "m",
      ),
    );
    expect(r.stdout).toContain("other.yaml:4:5: critical:");
    expect(r.stdout).not.toContain("RangeError");
  }, 60_000);

  it("streams a 1.7M-finding report in every format with bounded memory (was RangeError after ~3 GB)", async () => {
    const finding: Finding = {
      ruleId: "privileged-container",
      severity: "critical",
      message: 'container "c" runs privileged; set securityContext.privileged to false',
      file: "many.yaml",
      line: 12,
      column: 9,
      object: "Pod default/p",
      references: { pss: ["privileged"] },
      resourceIndex: 0,
    };
    // One finding object repeated: the report is 1.7M findings long but costs one finding's memory,
    // so what grows is only what the reporters themselves hold.
    const findings = new Array<Finding>(1_700_000).fill(finding);
    const report = {
      findings,
      errors: [],
      rules: allRules.filter((r) => r.id === finding.ruleId),
      files: ["many.yaml"],
      summary: summarize({
        findings,
        errors: [],
        filesAudited: 1,
        filesSkipped: 0,
        profile: "default",
        minSeverity: "info",
      }),
    };
    for (const format of REPORT_FORMATS) {
      const written = await inProcessBounded({ seconds: 120, memoryMiB: 400 }, (sample) => {
        let bytes = 0;
        let pieces = 0;
        let tail = "";
        REPORT_WRITERS[format](report, (chunk) => {
          bytes += chunk.length;
          tail = (tail + chunk).slice(-200);
          if (++pieces % 100_000 === 0) sample();
        });
        return { bytes, tail };
      });
      // Hundreds of MiB each (sarif and junit more than the longest string V8 can hold, about
      // 512 MiB), written while the heap grew by less than the bound.
      // (html, one short list item per finding of a single file, about 250 MiB; text and markdown
      // one line each, about 220 and 300 MiB.)
      const least = { html: 200, text: 200, markdown: 250 }[format as "html" | "text" | "markdown"] ?? 400;
      expect(written.bytes, format).toBeGreaterThan(least * 1024 * 1024);
      const end =
        {
          junit: /<\/testsuites>\n$/,
          html: /<\/html>\n$/,
          text: /1700000 findings \(1700000 critical\), 0 errors, 1 file audited\n$/,
          markdown:
            /\| Pod default\/p \| container &quot;c&quot; runs privileged; set securityContext\.privileged to false \|\n$/,
        }[format as "junit" | "html" | "text" | "markdown"] ?? /}\n$/;
      expect(written.tail, format).toMatch(end);
    }
  }, 400_000);

  describe("malformed and endless input, each refused by name within its bound", () => {
    const QUICK = { seconds: 20, memoryMiB: 600 };
    let files: ReturnType<typeof writeBadInputs>;
    beforeAll(() => {
      files = writeBadInputs(dir);
      execFileSync("mkfifo", [join(dir, "no-writer.yaml")]);
      writeFileSync(
        join(dir, "zero-base.yaml"),
        "services:\n  web:\n    image: nginx:1.25\n    extends:\n      file: /dev/zero\n      service: base\n",
      );
      writeFileSync(join(dir, "late-nul.yaml"), `apiVersion: v1\nkind: Pod\n${"# pad\n".repeat(5000)}\0\n`);
    });

    for (const [name, message] of Object.entries(BAD_INPUT_MESSAGES)) {
      it(`${name}: exit 2, ${message}`, async () => {
        const file = files[name as keyof typeof files];
        const r = await cliBounded(["audit", file], dir, QUICK);
        expect(r.code).toBe(2);
        expect(r.stdout).toMatch(new RegExp(`^${file}:\\d+:\\d+: error: .*${message.source}`, "m"));
      }, 60_000);
    }

    it("a FIFO with no writer", async () => {
      const r = await cliBounded(["audit", "--timeout", "1", "no-writer.yaml"], dir, QUICK);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain("no-writer.yaml:1:1: error: no data arrived within 1 s");
    }, 60_000);

    it("/dev/zero as an extends.file", async () => {
      const r = await cliBounded(["audit", "zero-base.yaml"], dir, { seconds: 20, memoryMiB: 300 });
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('extends.file "/dev/zero" cannot be read: is a device, not a file');
    }, 60_000);

    it("a NUL byte far past the start", async () => {
      const r = await cliBounded(["audit", "late-nul.yaml"], dir, QUICK);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain("late-nul.yaml:5003:1: error: binary file (NUL byte on line 5003)");
    }, 60_000);

    it("one mapping with 200,000 keys (a Compose environment)", async () => {
      const lines = ["services:", "  web:", "    image: nginx:1.25", "    environment:"];
      for (let i = 0; i < 200_000; i++) lines.push(`      K${i}: v`);
      writeFileSync(join(dir, "wide-compose.yaml"), `${lines.join("\n")}\n`);
      const r = await cliBounded(["audit", "wide-compose.yaml"], dir, { seconds: 40, memoryMiB: 1200 });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("0 errors, 1 file audited");
    }, 120_000);
  });
});
