import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "../../src/engine/audit";
import { CONTEXT_KINDS, FileAuditor, joinFindings, type OrderedFinding } from "../../src/engine/file-audit";
import type { Resource } from "../../src/model";
import { allRules } from "../../src/rules/catalog";
import { defineRule, PlatformScope } from "../../src/rules/rule";
import { mayHoldContextObjects } from "../../src/sources/context-scan";
import { loadFile } from "../../src/sources/load";
import { walkPaths } from "../../src/sources/walk";
import { fixtureDir, ROOT, removeDir } from "../cli/helpers";
import { writeCrossFileCorpus } from "../cli/parallel-corpus";

interface File {
  file: string;
  text: string;
  resources: Resource[];
}

function readTree(dir: string): File[] {
  const out: File[] = [];
  for (const w of walkPaths([dir]).files) {
    const loaded = loadFile(w, { forFixing: false });
    if (!loaded.source) continue;
    out.push({ file: w.file, text: readFileSync(w.file, "utf8"), resources: loaded.source.resources });
  }
  return out;
}

describe("FileAuditor: file by file, the findings of one audit of everything", () => {
  let dir: string;
  let files: File[];
  beforeAll(() => {
    dir = fixtureDir([]);
    writeCrossFileCorpus(dir, 4);
    files = [
      ...readTree(dir),
      ...readTree(join(ROOT, "test", "fixtures", "cli")),
      ...readTree(join(ROOT, "test", "fixtures", "docker")),
    ];
  });
  afterAll(() => removeDir(dir));

  it("whichever files are audited before the join, as long as those holding context are", () => {
    const all = files.flatMap((f) => f.resources);
    const expected = audit(all);
    const holdsContext = files.map((f) => f.resources.some((r) => CONTEXT_KINDS.has(r.kind)));
    expect(holdsContext.filter(Boolean).length).toBeGreaterThan(3);
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: files.length, maxLength: files.length }), (early) => {
        const auditor = new FileAuditor();
        const parts: OrderedFinding[] = [];
        const context: Resource[] = [];
        const offsets: number[] = [];
        let n = 0;
        files.forEach((f, ordinal) => {
          offsets.push(n);
          n += f.resources.length;
          if (!early[ordinal] && !holdsContext[ordinal]) return;
          const result = auditor.auditFile(f.resources, ordinal);
          parts.push(...result.findings);
          context.push(...result.context);
        });
        parts.push(...auditor.join(context));
        files.forEach((f, ordinal) => {
          if (early[ordinal] || holdsContext[ordinal]) return;
          parts.push(...auditor.auditFile(f.resources, ordinal).findings);
        });
        expect(joinFindings(parts, offsets)).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });

  it("refuses a file holding context objects after the join", () => {
    const auditor = new FileAuditor();
    auditor.join([]);
    const withContext = files.find((f) => f.resources.some((r) => r.kind === "networkPolicy")) as File;
    expect(() => auditor.auditFile(withContext.resources, 0)).toThrow(/audited after the context was joined/);
  });

  it("fails loudly when a rule reads a kind the join does not collect", () => {
    const readsWorkloads = defineRule({
      id: "test-reads-workloads",
      title: "Test: reads every workload",
      severity: "low",
      rationale: "Test rule.",
      remediation: "None.",
      references: {},
      targets: ["service"],
      platforms: PlatformScope.Kubernetes,
      scope: "inventory",
      check(_service, ctx) {
        return ctx.inventory.of("workload").length > 0 ? [{ path: "name", message: "has workloads" }] : [];
      },
    });
    const auditor = new FileAuditor({ rules: [...allRules, readsWorkloads] });
    const withService = files.find((f) => f.resources.some((r) => r.kind === "service")) as File;
    expect(auditor.auditFile(withService.resources, 0).deferred).toBe(true);
    expect(() => auditor.join([])).toThrow(/reads workload objects through the inventory/);
  });

  it("flags every file that holds context objects, and not a workload that only names its account", () => {
    for (const f of files) {
      if (f.resources.some((r) => CONTEXT_KINDS.has(r.kind)))
        expect(mayHoldContextObjects(f.file, f.text), f.file).toBe(true);
    }
    const workload =
      "kind: Deployment\nspec:\n  template:\n    spec:\n      automountServiceAccountToken: false\n      serviceAccountName: x\n";
    expect(mayHoldContextObjects("deploy.yaml", workload)).toBe(false);
    expect(mayHoldContextObjects("binding.yaml", "kind: RoleBinding\nroleRef: { kind: ClusterRole }\n")).toBe(
      true,
    );
    expect(mayHoldContextObjects("b.yaml", "kind: RoleBinding\n")).toBe(false);
    expect(mayHoldContextObjects("n.json", '{"kind": "Network\\u0050olicy"}')).toBe(true);
    expect(mayHoldContextObjects("etc/daemon.json", "{}")).toBe(true);
  });
});
