import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliInProcess } from "./helpers";

const DIR = join(__dirname, "../fixtures/kubernetes/input");

describe("shipshape audit: kinds", () => {
  it("names the kinds it did not audit in the summary and exits on findings alone", () => {
    const r = cliInProcess(["audit", "--rule", "privileged-container", join(DIR, "custom-resources.yaml")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /1 finding \(1 critical\), 0 errors, 1 file audited; 4 objects of 3 kinds not audited \(no rule checks them: monitoring\.coreos\.com\/ServiceMonitor 2, ConfigMap 1, kafka\.strimzi\.io\/Kafka 1\)\n$/,
    );
  });

  it("--strict-kinds makes them errors (exit 2)", () => {
    const r = cliInProcess([
      "audit",
      "--strict-kinds",
      "--rule",
      "privileged-container",
      join(DIR, "custom-resources.yaml"),
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('kind "ServiceMonitor" (apiVersion monitoring.coreos.com/v1) is not audited');
  });

  it("--workload-kind audits a declared kind at its pod template", () => {
    const file = join(DIR, "workload-kinds.yaml");
    const args = ["audit", "-f", "json", "--rule", "host-namespaces,privileged-container", file];
    const plain = JSON.parse(cliInProcess(args).stdout) as { findings: { line: number }[] };
    expect(plain.findings.map((f) => f.line)).toEqual([19]);
    const declared = cliInProcess([
      ...args,
      "--workload-kind",
      "argoproj.io/Rollout=spec.template,serving.knative.dev/Service=spec.template",
    ]);
    const report = JSON.parse(declared.stdout) as { findings: { line: number; ruleId: string }[] };
    expect(report.findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual([
      "19 privileged-container",
      "32 host-namespaces",
      "50 privileged-container",
    ]);
    const bad = cliInProcess(["audit", "--workload-kind", "Rollout", file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`option '--workload-kind' got "Rollout" is not <group>/<Kind>=<path>`);
  });
});
