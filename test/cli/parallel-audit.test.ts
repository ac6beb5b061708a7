import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditPaths } from "../../src/audit/audit-paths";
import { auditPathsParallel } from "../../src/audit/parallel-audit";
import { workerThreadsAlive } from "../../src/audit/worker-threads-alive";
import { REPORT_FORMATS } from "../../src/report/reporters";
import { cliInProcess, cliProcess, ensureBuilt, FIXTURES, fixtureDir, ROOT, removeDir } from "./helpers";
import { writeCrossFileCorpus } from "./parallel-corpus";

/** The trees audited: the cross-file corpus and the fixtures of the CLI, Docker and Kubernetes tests. */
function trees(dir: string): string[] {
  return [
    dir,
    FIXTURES,
    join(ROOT, "test", "fixtures", "docker"),
    join(ROOT, "test", "fixtures", "kubernetes"),
  ];
}

describe("audit --jobs: the parallel audit gives the one-thread audit's output", () => {
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir([]);
    writeCrossFileCorpus(dir);
  });
  afterAll(() => removeDir(dir));

  it("finds what one thread finds, in the same order, with every cross-file rule joined", () => {
    const options = { forFixing: false };
    const one = auditPaths(trees(dir), options);
    const parallel = auditPathsParallel(trees(dir), options, 3);
    expect(parallel.threads).toBe(3);
    // The corpus exercises every rule that reads other objects, and each decides both ways.
    const ids = new Set(one.findings.map((f) => f.ruleId));
    for (const id of [
      "missing-network-policy",
      "service-account-token-automount",
      "namespace-default-deny",
      "cluster-admin-binding",
      "suppression-unused",
    ])
      expect(ids, id).toContain(id);
    expect(one.findings.length).toBeGreaterThan(200);
    expect(parallel.findings).toEqual(one.findings);
    expect(parallel.errors).toEqual(one.errors);
    expect(parallel.notAudited).toEqual(one.notAudited);
    expect(parallel.skipped).toBe(one.skipped);
    expect(parallel.files.map((f) => f.file)).toEqual(one.files.map((f) => f.file));
  });

  it("joins context that only a parsed file reveals: a kind spelled with an escape", () => {
    const one = auditPaths([dir], { forFixing: false });
    const parallel = auditPathsParallel([dir], { forFixing: false }, 2);
    const batchNetwork = (findings: typeof one.findings) =>
      findings.filter((f) => f.ruleId === "missing-network-policy" && f.object.includes("batch"));
    // The escaped NetworkPolicy isolates the Jobs of team-2 and team-1 denies by default: only
    // team-0's are reported.
    expect(batchNetwork(one.findings).map((f) => f.object)).toEqual([
      "Job team-0/batch-0",
      "Job team-0/batch-3",
    ]);
    expect(batchNetwork(parallel.findings)).toEqual(batchNetwork(one.findings));
    expect(parallel.threads).toBe(2);
  });

  for (const format of REPORT_FORMATS) {
    it(`writes a byte-identical ${format} report with --jobs 1, 2 and 3`, () => {
      const args = ["audit", "--no-programs", "-f", format, ...trees(dir)];
      const one = cliInProcess([...args, "--jobs", "1"]);
      expect(one.code).toBe(2); // the tree holds a file that does not parse
      expect(one.stdout.length).toBeGreaterThan(1000);
      for (const jobs of format === "json" ? ["2", "3"] : ["2"]) {
        const parallel = cliInProcess([...args, "--jobs", jobs]);
        expect(parallel.code).toBe(one.code);
        expect(parallel.stderr).toBe(one.stderr);
        expect(parallel.stdout === one.stdout, `${format} with --jobs ${jobs}`).toBe(true);
      }
    });
  }

  it("stays in one thread for a small tree unless --jobs says otherwise", () => {
    expect(auditPathsParallel([dir], { forFixing: false }, undefined).threads).toBe(1);
    expect(auditPathsParallel([dir], { forFixing: false }, 1).threads).toBe(1);
    // Never more threads than files.
    expect(
      auditPathsParallel([join(dir, "accounts.yaml"), join(dir, "crd.yaml")], { forFixing: false }, 8)
        .threads,
    ).toBe(2);
  });

  it("stops the workers it started before the walk when the tree has too few files", async () => {
    const ours = () =>
      [...(workerThreadsAlive() ?? new Set<string>())].filter((n) => n.startsWith(`ssa${process.pid}.`));
    const run = auditPathsParallel([join(dir, "accounts.yaml")], { forFixing: false }, 8);
    expect(run.threads).toBe(1);
    expect(run.files.length).toBe(1);
    // Termination is asynchronous: the thread goes within moments, never to linger for the run.
    const until = Date.now() + 10_000;
    while (ours().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(ours()).toEqual([]);
  });

  it("refuses a --jobs that is not a whole number of threads", () => {
    for (const bad of ["0", "-1", "1.5", "two", "257"]) {
      const r = cliInProcess(["audit", "--jobs", bad, dir]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`option '--jobs <n>' argument '${bad}' is invalid`);
      expect(r.stderr).toContain("give a whole number from 1 to 256");
    }
  });

  it("runs its workers from the compiled CLI too, with the same report", async () => {
    await ensureBuilt();
    const args = ["audit", "--no-programs", "-f", "sarif", ...trees(dir)];
    const one = cliInProcess([...args, "--jobs", "1"]);
    const built = await cliProcess([...args, "--jobs", "2"], ROOT);
    expect(built.stderr).toBe(one.stderr);
    expect(built.code).toBe(one.code);
    expect(built.stdout === one.stdout).toBe(true);
  });
});
