/**
 * Whole programs through `shipshape check`'s path (mock runtime → policy pack): SecureServices
 * come out clean; the same kind of services as raw docker.Containers get the expected
 * violations at the expected levels, and the CLI exits 1 on a mandatory one.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluatePolicies, shipshapePolicies } from "../../src/policy";
import { checkProgram } from "../../src/policy/check";

const PROGRAMS = join(__dirname, "../fixtures/programs");
const ROOT = join(__dirname, "../..");
/**
 * The hardened program's images come from registry.example.com/shop, which (the fixture
 * assumes) CI scans and signs before pushing. A program directory cannot carry pack settings,
 * so this per-policy config says it, passed explicitly as `pulumi preview --policy-pack-config`
 * would take it; without it the pack rightly reports the images as unverified (advisory).
 */
const HARDENED_CONFIG_FILE = join(PROGRAMS, "hardened-services", "policy-config.json");
const HARDENED_CONFIG = JSON.parse(readFileSync(HARDENED_CONFIG_FILE, "utf8"));

describe("policy pack on whole programs", () => {
  it("takes the reference stack's SignedImage as its images' evidence, offline too", async () => {
    // Under mocks nothing is pushed: the verification stands for the release tag, so only the
    // tag itself is reported (image-digest, low), on the services and on the secret-file
    // loaders that share their image; `pulumi preview` resolves it to the registry digest.
    const result = await checkProgram(join(ROOT, "stacks", "docker"));
    const found = result.violations.map(
      (v) => `${v.urn?.split("::").pop()} ${v.policyName} ${v.enforcementLevel}`,
    );
    // The monitoring stack's images are SignedImages too: the same, and nothing about its
    // exporter's read-only engine socket, whose override carries the reason.
    expect(found.sort()).toEqual([
      "shipshape-ref-alertmanager image-digest advisory",
      "shipshape-ref-alertmanager-secrets image-digest advisory",
      "shipshape-ref-engine-exporter image-digest advisory",
      "shipshape-ref-prometheus image-digest advisory",
      "shipshape-ref-prometheus-secrets image-digest advisory",
      "shipshape-ref-web image-digest advisory",
      "shipshape-ref-web-secrets image-digest advisory",
      "shipshape-ref-worker image-digest advisory",
      "shipshape-ref-worker-secrets image-digest advisory",
    ]);
  }, 120_000);

  it("finds nothing on several SecureServices whose images a pipeline verifies", async () => {
    const result = await checkProgram(join(PROGRAMS, "hardened-services"), { config: HARDENED_CONFIG });
    const containers = result.resources.filter((r) => r.type === "docker:index/container:Container");
    expect(containers.map((r) => r.name).sort()).toEqual(["db", "web", "worker"]);
    expect(result.violations).toEqual([]);
    // Without that config, the same resources have only their unverified images reported, as
    // advisory (a program runs once per process, so the captured resources are evaluated again).
    const unconfigured = await evaluatePolicies(shipshapePolicies(), result.resources);
    const got = unconfigured.violations.map(
      (v) => `${v.urn?.split("::").pop()} ${v.policyName} ${v.enforcementLevel}`,
    );
    expect(got.sort()).toEqual([
      "db image-not-verified advisory",
      "web image-not-verified advisory",
      "worker image-not-verified advisory",
    ]);
  });

  it("reports raw, unhardened containers with the right rules and levels", async () => {
    const result = await checkProgram(join(PROGRAMS, "raw-containers"));
    const got = new Set(
      result.violations.map((v) => `${v.urn?.split("::").pop()} ${v.policyName} ${v.enforcementLevel}`),
    );
    for (const expected of [
      "agent privileged-container mandatory",
      "agent host-namespaces mandatory",
      "agent docker-socket-mount mandatory",
      "agent seccomp-unconfined mandatory",
      "worker capabilities-baseline mandatory",
      "web privilege-escalation mandatory",
      "web image-latest-tag advisory",
      "web ports-all-interfaces advisory",
      "web read-only-root-filesystem advisory",
      "worker memory-limits advisory",
      // Nothing in the program scans or signs its images.
      "web image-not-verified advisory",
      "agent image-not-verified advisory",
      "worker image-not-verified advisory",
    ]) {
      expect(got.has(expected), expected).toBe(true);
    }
    // The hardened fields of the worker (a non-root user) are not reported.
    expect(got.has("worker run-as-non-root advisory")).toBe(false);
  });

  describe("the CLI", () => {
    beforeAll(() => {
      execFileSync("npx", ["tsc", "-p", "tsconfig.json"], { cwd: ROOT, stdio: "inherit" });
    }, 300_000);

    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, "dist/src/cli/main.js"), "check", ...args], {
        encoding: "utf8",
      });

    it("exits 1 on a mandatory violation and prints it as JSON", () => {
      const run = cli(join(PROGRAMS, "raw-containers"), "--format", "json");
      expect(run.status).toBe(1);
      const report = JSON.parse(run.stdout) as { findings: { ruleId: string; file: string }[] };
      expect(
        report.findings.some((f) => f.ruleId === "privileged-container" && f.file.endsWith("::agent")),
      ).toBe(true);
    });

    it("exits 0 on the hardened program, and on its advisory findings without the config", () => {
      const run = cli(join(PROGRAMS, "hardened-services"), "--policy-config", HARDENED_CONFIG_FILE);
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(run.stdout).not.toMatch(/image-not-verified/);
      const advisory = cli(join(PROGRAMS, "hardened-services"));
      expect(advisory.status).toBe(0);
      expect(advisory.stdout).toMatch(/image-not-verified/);
    });

    it("exits 2 when the program cannot run", () => {
      const run = cli(join(PROGRAMS, "does-not-exist"));
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/Pulumi\.yaml/);
    });
  });
});
