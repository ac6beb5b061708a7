import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuditShard } from "../../src/audit/audit-shard";

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:latest
      securityContext:
        privileged: true
`;

describe("a parallel audit's shard between its two rounds", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** Scans one pod file, removes it, then runs the second round on it. */
  function scanRemoveAudit(keepLimit: number) {
    const dir = mkdtempSync(join(tmpdir(), "shard-kept-"));
    dirs.push(dir);
    const file = join(dir, "pod.yaml");
    writeFileSync(file, POD);
    const shard = new AuditShard({}, {}, keepLimit);
    const item = { ordinal: 0, walked: { file, explicit: false } };
    const scanned = shard.scan([item]);
    rmSync(file);
    return { scanned, audited: shard.audit([item]) };
  }

  it("audits a file left for later from the text it kept: the file is not read a second time", () => {
    const { scanned, audited } = scanRemoveAudit(1024 * 1024);
    expect(scanned.outcomes[0]).toMatchObject({ later: true, kept: true });
    expect(audited.outcomes[0]?.errors).toEqual([]);
    expect(audited.findings.map((f) => f.finding.ruleId)).toContain("privileged-container");
  });

  it("reads the file again when its text did not fit the budget", () => {
    const { scanned, audited } = scanRemoveAudit(POD.length - 1);
    expect(scanned.outcomes[0]?.later).toBe(true);
    expect(scanned.outcomes[0]?.kept).toBeUndefined();
    expect(audited.findings).toEqual([]);
    expect(audited.outcomes[0]?.errors[0]?.message).toMatch(/no such file|ENOENT|cannot read|not found/i);
  });
});
