import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeDocker, requireEngine } from "../live/engine-helpers";
import { cliProcess, ensureBuilt, fixtureDir, ROOT, removeDir } from "./helpers";

/**
 * Issue 19 part 5: `shipshape audit <project>` audits every file kind and every Pulumi program in
 * it, in one report. The sample project is run in place (relative to the repository root), so
 * its program resolves `shipshape` and the SDKs as the repository's own programs do.
 */
const PROJECT = "test/fixtures/combined-project";
const PROGRAM_INDEX = `${PROJECT}/infra/index.ts`;

interface JsonReport {
  findings: { ruleId: string; severity: string; message: string; file: string; object: string }[];
  errors: { file: string; message: string }[];
  summary: { filesAudited: number; filesSkipped: number; findings: number };
}

describe("shipshape audit on a project directory: every file kind and the Pulumi program, one report", () => {
  beforeAll(async () => {
    await ensureBuilt();
  });

  it("finds something in every file kind, names the program's violation, and exits 1", async () => {
    const r = await cliProcess(["audit", PROJECT, "--format", "json"], ROOT);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.errors).toEqual([]);
    const files = new Set(report.findings.map((f) => f.file));
    for (const file of ["Dockerfile", "compose.yaml", "k8s/deployment.yaml", "daemon.json", "infra/index.ts"])
      expect(files, file).toContain(`${PROJECT}/${file}`);
    // Dockerfile, compose.yaml, the manifest, daemon.json and the program's index file; the
    // program's Pulumi.yaml and tsconfig.json are its own, neither audited nor skipped.
    expect(report.summary.filesAudited).toBe(5);
    expect(report.summary.filesSkipped).toBe(0);
    const program = report.findings.filter((f) => f.file === PROGRAM_INDEX);
    const privileged = program.find((f) => f.ruleId === "privileged-container");
    expect(privileged).toMatchObject({
      severity: "critical",
      object: "docker:index/container:Container agent",
    });
    expect(privileged?.message).toContain("(mandatory)");
    // Advisory violations carry their level too.
    expect(program.some((f) => f.message.endsWith("(advisory)"))).toBe(true);
    // The SecureService's own children are hardened: only the image evidence is missing.
    expect(
      program
        .filter((f) => f.object.endsWith(" web-container") || f.object.endsWith(" web"))
        .map((f) => f.ruleId),
    ).toEqual(["image-not-verified"]);
  }, 120_000);

  it("prints the program's findings in every other format", async () => {
    for (const format of ["text", "markdown", "sarif", "junit"]) {
      const r = await cliProcess(["audit", PROJECT, "--format", format, "--min-severity", "medium"], ROOT);
      expect(r.code, format).toBe(1);
      expect(r.stdout, format).toContain("infra/index.ts");
      expect(r.stdout, format).toContain("privileged-container");
      expect(r.stdout, format).toContain("daemon.json");
    }
  }, 120_000);

  it("filters program findings by --min-severity and --skip-rule, and --no-programs leaves them out", async () => {
    const critical = JSON.parse(
      (await cliProcess(["audit", PROJECT, "--format", "json", "--min-severity", "critical"], ROOT)).stdout,
    ) as JsonReport;
    expect(critical.findings.filter((f) => f.file === PROGRAM_INDEX).map((f) => f.ruleId)).toEqual([
      "privileged-container",
    ]);
    expect(critical.findings.every((f) => f.severity === "critical")).toBe(true);
    const skipped = await cliProcess(
      [
        "audit",
        `${PROJECT}/infra`,
        "--format",
        "json",
        "--min-severity",
        "critical",
        "--skip-rule",
        "privileged-container",
      ],
      ROOT,
    );
    expect(skipped.code).toBe(0);
    const none = await cliProcess(["audit", PROJECT, "--format", "json", "--no-programs"], ROOT);
    const report = JSON.parse(none.stdout) as JsonReport;
    expect(report.findings.some((f) => f.file === PROGRAM_INDEX)).toBe(false);
  }, 120_000);

  it("--docker with paths: an unreachable engine is an input error, and the files are still audited", async () => {
    const r = await cliProcess(
      [
        "audit",
        "--docker",
        "--host",
        "unix:///nonexistent/docker.sock",
        `${PROJECT}/compose.yaml`,
        "--format",
        "json",
      ],
      ROOT,
    );
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.errors.map((e) => e.file)).toEqual(["unix:///nonexistent/docker.sock"]);
    expect(report.findings.some((f) => f.file === `${PROJECT}/compose.yaml`)).toBe(true);
  }, 120_000);

  it("still refuses --fix with --docker", async () => {
    const r = await cliProcess(["audit", "--docker", `${PROJECT}/compose.yaml`, "--fix"], ROOT);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--fix cannot change a live engine");
  }, 60_000);

  describe("a program that cannot run", () => {
    let dir: string;
    beforeAll(() => {
      dir = fixtureDir([]);
      mkdirSync(join(dir, "broken"));
      writeFileSync(join(dir, "broken", "Pulumi.yaml"), "name: broken\nruntime: nodejs\n");
      writeFileSync(join(dir, "broken", "index.ts"), 'throw new Error("no stack today");\n');
      mkdirSync(join(dir, "looping"));
      writeFileSync(join(dir, "looping", "Pulumi.yaml"), "name: looping\nruntime: nodejs\n");
      writeFileSync(join(dir, "looping", "index.ts"), "for (;;) {}\n");
      mkdirSync(join(dir, "no-entry"));
      writeFileSync(join(dir, "no-entry", "Pulumi.yaml"), "name: no-entry\nruntime: nodejs\n");
    });
    afterAll(() => removeDir(dir));

    it("is an input error naming it (exit 2), and everything else is still audited", async () => {
      const r = await cliProcess(["audit", dir, PROJECT, "--format", "json", "--program-timeout", "5"], ROOT);
      expect(r.code).toBe(2);
      const report = JSON.parse(r.stdout) as JsonReport;
      const broken = report.errors.find((e) => e.file === join(dir, "broken"));
      expect(broken?.message).toBe(
        "Pulumi program: the program cannot run under the mock runtime: no stack today",
      );
      const looping = report.errors.find((e) => e.file === join(dir, "looping"));
      expect(looping?.message).toBe(
        "Pulumi program: the program did not finish within 5 s (it may wait forever or loop); fix it, or raise --program-timeout",
      );
      expect(report.errors.find((e) => e.file === join(dir, "no-entry"))?.message).toBe(
        "Pulumi program: no index.ts or index.js (nor Pulumi.yaml main) to run",
      );
      expect(report.errors).toHaveLength(3);
      const files = new Set(report.findings.map((f) => f.file));
      expect(files).toContain(PROGRAM_INDEX);
      expect(files).toContain(`${PROJECT}/compose.yaml`);
    }, 120_000);
  });
});

describeDocker("shipshape audit --docker with paths: the engine and the files in one report", () => {
  beforeAll(async () => {
    await requireEngine();
    await ensureBuilt();
  });

  it("audits the live engine and the given files together", async () => {
    const r = await cliProcess(
      ["audit", "--docker", `${PROJECT}/daemon.json`, `${PROJECT}/compose.yaml`, "--format", "json"],
      ROOT,
    );
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.errors).toEqual([]);
    const files = new Set(report.findings.map((f) => f.file));
    expect(files).toContain(`${PROJECT}/daemon.json`);
    expect(files).toContain(`${PROJECT}/compose.yaml`);
    // The live engine's daemon findings are named by its docker:// object, not by a file.
    expect([...files].some((f) => f.startsWith("docker://"))).toBe(true);
  }, 120_000);
});
