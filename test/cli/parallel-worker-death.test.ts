import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditWorkerError, auditPathsParallel } from "../../src/audit/parallel-audit";
import { cliInProcess, fixtureDir, removeDir } from "./helpers";

/** `count` privileged pods in one file, a document each: tens of MiB of objects once parsed. */
function manyPods(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++)
    docs.push(
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p-${i}\n  namespace: team-${i % 7}\n  labels: { app: a-${i} }\nspec:\n  containers:\n    - name: c\n      image: registry.example.com/app:${i}\n      securityContext: { privileged: true }\n`,
    );
  return docs.join("---\n");
}

describe("audit --jobs: a worker that dies without a word", () => {
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir([]);
    // First in walk order, so the first batch, sent to the worker, holds it.
    writeFileSync(join(dir, "a-huge.yaml"), manyPods(44_000));
    writeFileSync(join(dir, "b-small.yaml"), manyPods(1));
  });
  afterAll(() => removeDir(dir));

  it("fails the audit naming the file it held, instead of waiting for it forever", () => {
    // 24 MiB of heap cannot hold 44,000 parsed pods (a 9.4 MiB file, under the 10 MiB a file may have): V8 stops the worker, which posts nothing.
    let error: unknown;
    try {
      auditPathsParallel([dir], { forFixing: false }, 2, { heapMiB: 24 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuditWorkerError);
    expect((error as Error).message).toMatch(
      /^an audit worker stopped without an answer \(out of memory\?\) while auditing .*a-huge\.yaml.*; audit with --jobs 1, or give each worker more memory \(--worker-heap\)$/,
    );
  }, 120_000);

  it("the CLI says so on standard error and exits 2; with room, the same tree audits", () => {
    const starved = cliInProcess(["audit", "--no-programs", "--jobs", "2", "--worker-heap", "24", dir]);
    expect(starved.code).toBe(2);
    expect(starved.stdout).toBe("");
    expect(starved.stderr).toMatch(
      /^shipshape audit: an audit worker stopped without an answer .*a-huge\.yaml/,
    );
    const roomy = cliInProcess([
      "audit",
      "--no-programs",
      "--jobs",
      "2",
      "--rule",
      "privileged-container",
      dir,
    ]);
    expect(roomy.code).toBe(1);
    expect(roomy.stdout).toContain("44001 findings (44001 critical), 0 errors, 2 files audited");
  }, 180_000);

  it("refuses a --worker-heap that is not a whole number of MiB from 16", () => {
    for (const bad of ["0", "15", "1.5", "lots"]) {
      const r = cliInProcess(["audit", "--worker-heap", bad, dir]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`option '--worker-heap <MiB>' argument '${bad}' is invalid`);
      expect(r.stderr).toContain("give a whole number of MiB, 16 or more");
    }
  });
});
