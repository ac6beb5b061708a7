/** The gate and the cache key, on scan results written here: what counts, what an ignore covers, and when it stops. */
import { describe, expect, it } from "vitest";
import { ScanError, ScanFailure } from "../../src/scan/errors";
import { evaluateGate, type GateSettings } from "../../src/scan/gate";
import { scanKey } from "../../src/scan/scan";
import { parseTrivyReport } from "../../src/scan/trivy";
import type { ScanResult, Vulnerability } from "../../src/scan/types";

const vuln = (
  id: string,
  severity: Vulnerability["severity"],
  fixedVersion?: string,
  packageName = "pkg",
): Vulnerability => ({
  id,
  packageName,
  installedVersion: "1.0.0",
  severity,
  title: id,
  target: "Node.js",
  ...(fixedVersion ? { fixedVersion } : {}),
});

const result = (vulnerabilities: Vulnerability[]): ScanResult => ({
  scanner: "trivy",
  scannerVersion: "0.74.0",
  image: "app:1",
  digest: `sha256:${"a".repeat(64)}`,
  os: "debian 12.11",
  dbUpdatedAt: "2026-12-01T00:00:00Z",
  targets: [{ name: "Node.js", type: "node-pkg", packages: 3 }],
  packages: 3,
  vulnerabilities,
  scannedAt: "2026-12-01T00:00:00Z",
});

const gate = (over: Partial<GateSettings> = {}): GateSettings => ({
  failOn: "high",
  ignoreUnfixed: false,
  ignores: [],
  ...over,
});
const NOW = new Date("2026-12-01T12:00:00Z");
const found = result([
  vuln("CVE-1", "critical", "2.0"),
  vuln("CVE-2", "high"),
  vuln("CVE-3", "medium", "1.1"),
  vuln("CVE-4", "low"),
]);

describe("the scan gate", () => {
  it("fails on what is at or above failOn and counts everything", () => {
    const o = evaluateGate(found, gate(), NOW);
    expect(o.passed).toBe(false);
    expect(o.blocking.map((v) => v.id)).toEqual(["CVE-1", "CVE-2"]);
    expect(o.counts).toEqual({ critical: 1, high: 1, medium: 1, low: 1, unknown: 0 });
    expect(evaluateGate(found, gate({ failOn: "critical" }), NOW).blocking.map((v) => v.id)).toEqual([
      "CVE-1",
    ]);
    expect(evaluateGate(found, gate({ failOn: "low" }), NOW).blocking).toHaveLength(4);
    expect(evaluateGate(result([vuln("CVE-3", "medium")]), gate(), NOW).passed).toBe(true);
  });

  it("ignoreUnfixed passes an unfixed vulnerability but keeps it in view", () => {
    const o = evaluateGate(found, gate({ ignoreUnfixed: true }), NOW);
    expect(o.blocking.map((v) => v.id)).toEqual(["CVE-1"]);
    expect(o.unfixed.map((v) => v.id)).toEqual(["CVE-2"]);
  });

  it("an ignore covers its advisory (for its packages only) and carries its reason", () => {
    const reason = "not reachable: the service never calls _.template";
    const o = evaluateGate(
      found,
      gate({
        ignores: [
          { id: "CVE-1", reason },
          { id: "CVE-2", reason, packages: ["other"] },
        ],
      }),
      NOW,
    );
    expect(o.blocking.map((v) => v.id)).toEqual(["CVE-2"]);
    expect(o.ignored).toEqual([{ vulnerability: found.vulnerabilities[0], reason }]);
    // The second ignore names another package: it matched nothing, which is reported.
    expect(o.unusedIgnores.map((i) => i.id)).toEqual(["CVE-2"]);
    expect(o.warnings.join("\n")).toMatch(/ignore of CVE-2 matched nothing/);
  });

  it("an ignore holds through its expiry day and not after; an expired ignore is reported", () => {
    const ignores = [{ id: "CVE-1", reason: "vendor fix scheduled for next release", expires: "2026-12-01" }];
    expect(evaluateGate(found, gate({ ignores, failOn: "critical" }), NOW).passed).toBe(true);
    const later = evaluateGate(
      found,
      gate({ ignores, failOn: "critical" }),
      new Date("2026-12-02T00:00:00Z"),
    );
    expect(later.passed).toBe(false);
    expect(later.expiredIgnores.map((i) => i.id)).toEqual(["CVE-1"]);
    expect(later.unusedIgnores).toEqual([]);
    expect(later.warnings).toEqual([expect.stringMatching(/CVE-1 expired on 2026-12-01/)]);
  });
});

describe("the scan cache key", () => {
  const subject = { digest: `sha256:${"b".repeat(64)}`, dbUpdatedAt: "2026-12-01T00:00:00Z" };
  it("is the same for the same content, database and gate, whatever the order of ignores", () => {
    const a = { id: "CVE-1", reason: "reason number one" };
    const b = { id: "CVE-2", reason: "reason number two" };
    expect(scanKey(subject, gate({ ignores: [a, b] }))).toBe(scanKey(subject, gate({ ignores: [b, a] })));
  });
  it("changes with the digest, the database date and every gate setting", () => {
    const base = scanKey(subject, gate());
    const others = [
      scanKey({ ...subject, digest: `sha256:${"c".repeat(64)}` }, gate()),
      scanKey({ ...subject, dbUpdatedAt: "2026-12-02T00:00:00Z" }, gate()),
      scanKey(subject, gate({ failOn: "critical" })),
      scanKey(subject, gate({ ignoreUnfixed: true })),
      scanKey(subject, gate({ ignores: [{ id: "CVE-1", reason: "some reason here" }] })),
      scanKey(
        subject,
        gate({ ignores: [{ id: "CVE-1", reason: "some reason here", expires: "2027-01-01" }] }),
      ),
    ];
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });
});

describe("reading trivy's report", () => {
  const context = { image: "app:1", digest: "sha256:x", dbUpdatedAt: "2026-12-01T00:00:00Z", version: "" };
  it("fails closed on output that is not trivy's JSON report", () => {
    for (const text of ["", "not json", "{}", '{"SchemaVersion": 1}', "[]"]) {
      let error: unknown;
      try {
        parseTrivyReport(text, context);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(text)).toBeInstanceOf(ScanError);
      expect((error as ScanError).failure).toBe(ScanFailure.ScannerFailed);
    }
  });
  it("reads severities, fixes and packages, and treats an unknown severity word as unknown", () => {
    const r = parseTrivyReport(
      JSON.stringify({
        SchemaVersion: 2,
        Metadata: { OS: { Family: "debian", Name: "12.11" } },
        Results: [
          {
            Target: "Node.js",
            Type: "node-pkg",
            Packages: [{}, {}],
            Vulnerabilities: [
              {
                VulnerabilityID: "CVE-9",
                PkgName: "a",
                InstalledVersion: "1",
                FixedVersion: "2",
                Severity: "HIGH",
                PkgPath: "app/node_modules/a/package.json",
              },
              { VulnerabilityID: "CVE-8", PkgName: "b", InstalledVersion: "1", Severity: "SEVERE" },
            ],
          },
        ],
      }),
      context,
    );
    expect(r.os).toBe("debian 12.11");
    expect(r.packages).toBe(2);
    expect(r.vulnerabilities.map((v) => [v.id, v.severity, v.fixedVersion, v.path])).toEqual([
      ["CVE-9", "high", "2", "app/node_modules/a/package.json"],
      ["CVE-8", "unknown", undefined, undefined],
    ]);
  });
});
