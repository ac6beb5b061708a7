import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliInProcess } from "./helpers";

const FIXTURE = join(__dirname, "../fixtures/kubernetes/pss-versions/changes.yaml");

function ruleLines(args: string[]): string[] {
  const r = cliInProcess([
    "audit",
    "--format",
    "json",
    "--rule",
    "unsafe-sysctls,probe-host",
    ...args,
    FIXTURE,
  ]);
  const report = JSON.parse(r.stdout) as { findings: { ruleId: string; line: number }[] };
  return report.findings.map((f) => `${f.line} ${f.ruleId}`);
}

describe("shipshape audit --pss-version", () => {
  it("applies the chosen version's safe sysctls and checks", () => {
    expect(ruleLines([])).toEqual(["81 probe-host"]);
    const old = ruleLines(["--pss-version", "v1.26"]);
    expect(old).toEqual([
      "14 unsafe-sysctls",
      "16 unsafe-sysctls",
      "18 unsafe-sysctls",
      "20 unsafe-sysctls",
      "22 unsafe-sysctls",
      "24 unsafe-sysctls",
    ]);
    expect(ruleLines(["--pss-version", "1.36"])).toEqual([
      "22 unsafe-sysctls",
      "24 unsafe-sysctls",
      "81 probe-host",
    ]);
  });

  it("refuses an unknown version with exit 2 and the accepted names", () => {
    const r = cliInProcess(["audit", "--pss-version", "v1.19", FIXTURE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`option '--pss-version' got "v1.19"; give one of v1.25, v1.26`);
  });
});
