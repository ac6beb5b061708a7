/**
 * `shipshape scan` with the real trivy and the offline database: every option and every exit
 * code, progress on stderr, and a SARIF log that the official 2.1.0 schema and Microsoft's
 * validator accept.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { Log } from "sarif";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokenTrivy, countingTrivy, FIXED_IMAGE, requireScanner, VULNERABLE_IMAGE } from "../scan/helpers";
import { cliInProcess, cliProcess, ensureBuilt } from "./helpers";
import { multitool, multitoolProblems } from "./sarif-tools";

let dir: string;
/** Every scan in its own report directory unless a test shares one on purpose. */
const scan = (...args: string[]) => cliInProcess(["scan", ...args]);
const json = (stdout: string) =>
  JSON.parse(stdout) as { vulnerabilities: { id: string; ignoredBecause?: string }[]; passed: boolean };

describe("shipshape scan", () => {
  beforeAll(async () => {
    await requireScanner();
    dir = mkdtempSync(join(tmpdir(), "shipshape-scan-cli-"));
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints a table of what it found, reports progress on stderr, and exits 0 without -e", () => {
    const r = scan(VULNERABLE_IMAGE);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SEVERITY\s+ID\s+PACKAGE\s+INSTALLED\s+FIXED\s+TITLE$/m);
    expect(r.stdout).toMatch(/^critical\s+CVE-2021-44906\s+minimist\s+1\.2\.5/m);
    expect(r.stdout).toMatch(/^high\s+CVE-2021-23337\s+lodash\s+4\.17\.20\s+4\.17\.21/m);
    // The default severities are critical and high: the medium ones are not listed.
    expect(r.stdout).not.toContain("CVE-2020-28500");
    expect(r.stderr).toMatch(/scan: scanning shipshape-test\/scan-vulnerable:1 with trivy/);
  });

  it("-e exits 1 when a listed severity is found, and 0 on the fixed image", () => {
    expect(scan(VULNERABLE_IMAGE, "-e").code).toBe(1);
    const fixed = scan(FIXED_IMAGE, "--exit-on-failure");
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toMatch(/gate passed/);
  });

  it("-s chooses the severities reported and gated", () => {
    const r = scan(VULNERABLE_IMAGE, "-s", "medium", "-f", "json", "-e");
    expect(r.code).toBe(1);
    expect(
      json(r.stdout)
        .vulnerabilities.map((v) => v.id)
        .sort(),
    ).toEqual(["CVE-2020-28500", "CVE-2023-28155"]);
    expect(scan(VULNERABLE_IMAGE, "--severity", "low", "-e").code).toBe(0);
    const bad = scan(VULNERABLE_IMAGE, "-s", "urgent");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /--severity' got "urgent": use a comma-separated list of unknown, low, medium, high, critical/,
    );
  });

  it("--ignore-unfixed lets an unfixed vulnerability pass the gate", () => {
    expect(scan(VULNERABLE_IMAGE, "-s", "medium", "-e").code).toBe(1);
    const r = scan(VULNERABLE_IMAGE, "-s", "medium", "-e", "--ignore-unfixed", "-f", "json");
    // CVE-2020-28500 (lodash) has a fix, so it still fails; request's has none.
    expect(r.code).toBe(1);
    const lodashOnly = scan(FIXED_IMAGE, "-s", "medium", "-e", "--ignore-unfixed");
    expect(lodashOnly.code).toBe(0);
  });

  it("--ignore-file takes ignores with reasons and expiry days, and reports stale ones", () => {
    const file = join(dir, "ignores.yaml");
    writeFileSync(
      file,
      [
        "- id: CVE-2021-44906",
        "  reason: minimist only parses our own fixed argv, never user input",
        "- id: CVE-2021-23337",
        "  reason: _.template is never called in this service",
        "  expires: 2099-12-31",
        "- id: CVE-2000-0001",
        "  reason: left over from an older base image",
      ].join("\n"),
    );
    const r = scan(VULNERABLE_IMAGE, "--ignore-file", file, "-e", "-f", "json");
    expect(r.code).toBe(0);
    const report = json(r.stdout);
    expect(report.vulnerabilities.find((v) => v.id === "CVE-2021-44906")?.ignoredBecause).toMatch(
      /own fixed argv/,
    );
    expect(r.stderr).toMatch(/warning: the ignore of CVE-2000-0001 matched nothing/);

    writeFileSync(file, "- id: CVE-2021-44906\n  reason: short\n");
    const bad = scan(VULNERABLE_IMAGE, "--ignore-file", file);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file}: ignore 1 (CVE-2021-44906): reason must say why`);
    writeFileSync(
      file,
      "- id: CVE-2021-44906\n  reason: expired acceptance of the risk\n  expires: 2020-01-01\n",
    );
    const expired = scan(VULNERABLE_IMAGE, "--ignore-file", file, "-s", "critical", "-e");
    expect(expired.code).toBe(1);
    expect(expired.stderr).toMatch(/expired on 2020-01-01/);
    const missing = scan(VULNERABLE_IMAGE, "--ignore-file", join(dir, "nope.yaml"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the ignore file .*nope\.yaml: ENOENT/);
  });

  it("--block-critical and --max-vulns fail the gate without -e", () => {
    expect(scan(VULNERABLE_IMAGE, "--block-critical").code).toBe(1);
    expect(scan(FIXED_IMAGE, "--block-critical").code).toBe(0);
    const over = scan(VULNERABLE_IMAGE, "-s", "critical,high,medium", "--max-vulns", "3");
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/4 vulnerabilities, more than --max-vulns 3/);
    expect(scan(VULNERABLE_IMAGE, "-s", "critical,high,medium", "--max-vulns", "4").code).toBe(0);
    expect(scan(VULNERABLE_IMAGE, "--max-vulns", "-1").code).toBe(2);
  });

  it("-o writes the report to a file; -v names each step as it runs and the report paths", async () => {
    await ensureBuilt();
    const out = join(dir, "report.json");
    // A real process: the steps stream from the scan worker straight to its standard error.
    const r = await cliProcess(["scan", VULNERABLE_IMAGE, "-f", "json", "-o", out, "-v", "--no-cache"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    expect(json(readFileSync(out, "utf8")).vulnerabilities.length).toBe(2);
    expect(r.stderr).toMatch(/scan: resolving shipshape-test\/scan-vulnerable:1 \(\d+\.\ds\)/);
    expect(r.stderr).toMatch(/scan: scanning sha256:[0-9a-f]{12}… with trivy \(database of 20\d\d-/);
    expect(r.stderr).toMatch(/reports \S+\.json and \S+\.sarif/);
    expect(scan(VULNERABLE_IMAGE, "-o", join(dir, "missing-dir", "r.txt")).code).toBe(2);
  });

  it("-t takes trivy and refuses what it does not offer", () => {
    expect(scan(FIXED_IMAGE, "-t", "trivy").code).toBe(0);
    const r = scan(FIXED_IMAGE, "--tool", "clair");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are trivy/);
  });

  it("--no-cache runs the scanner again; without it an unchanged scan is cached", () => {
    const counting = countingTrivy(mkdtempSync(join(dir, "count-")));
    const count = () => readFileSync(counting.counter, "utf8").split("\n").filter(Boolean).length;
    scan(FIXED_IMAGE, "--trivy", counting.path, "-s", "low");
    const before = count();
    scan(FIXED_IMAGE, "--trivy", counting.path, "-s", "low");
    expect(count()).toBe(before);
    scan(FIXED_IMAGE, "--trivy", counting.path, "-s", "low", "--no-cache");
    expect(count()).toBe(before + 1);
  });

  it("exits 2 with the cause when it cannot scan: no scanner, no database, a hang, a crash, no image, no engine", () => {
    const cases: [string[], RegExp][] = [
      [["--trivy", "/nonexistent/trivy", "--no-cache"], /\/nonexistent\/trivy does not exist/],
      [
        ["--cache-dir", join(dir, "empty")],
        /vulnerability database .* does not exist: run scripts\/setup\.sh/,
      ],
      [
        ["--trivy", brokenTrivy(dir, "hang", "  exec sleep 600"), "--timeout", "2", "--no-cache"],
        /did not finish scanning .* within 2 s/,
      ],
      [
        ["--trivy", brokenTrivy(dir, "crash", "  echo boom >&2; exit 4"), "--no-cache"],
        /exited with code 4 while scanning shipshape-test\/scan-fixed:1:\nboom/,
      ],
      [
        ["--host", "unix:///nonexistent.sock"],
        /cannot reach the Docker engine at unix:\/\/\/nonexistent\.sock/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = scan(FIXED_IMAGE, "-e", ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(r.stdout).toBe("");
    }
    const none = scan("shipshape-test/not-there:1");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/not in the Docker engine/);
  });

  describe("SARIF", () => {
    let sarif: Log;
    beforeAll(() => {
      const r = scan(VULNERABLE_IMAGE, "-f", "sarif", "-s", "critical,high,medium,low");
      expect(r.code).toBe(0);
      sarif = JSON.parse(r.stdout) as Log;
    });

    it("has one rule per advisory and one result per vulnerable package", () => {
      const [theRun] = sarif.runs;
      expect(theRun?.tool.driver.rules?.map((r) => r.id)).toEqual([
        "CVE-2020-28500",
        "CVE-2021-23337",
        "CVE-2021-44906",
        "CVE-2023-28155",
      ]);
      expect(theRun?.results?.map((r) => [r.ruleId, r.level])).toEqual([
        ["CVE-2021-44906", "error"],
        ["CVE-2021-23337", "error"],
        ["CVE-2020-28500", "warning"],
        ["CVE-2023-28155", "warning"],
      ]);
    });

    it("validates against the official SARIF 2.1.0 JSON schema", () => {
      const validate = addFormats(new Ajv2020({ strict: false, allErrors: true })).compile(
        JSON.parse(readFileSync(multitool().schema, "utf8")),
      );
      expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    });

    it("passes Microsoft's SARIF multitool validator", async () => {
      const { validation, problems } = await multitoolProblems(sarif, dir, "scan");
      expect(problems).toEqual([]);
      expect(validation.runs[0]?.results?.map((r) => r.ruleId)).toContain("SARIF2008");
    });
  });
});
