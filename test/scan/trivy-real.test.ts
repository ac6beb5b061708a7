/**
 * The real trivy with the project's offline database on the test images: it finds exactly the
 * advisories vulndb/osv describes for the vulnerable image's packages, nothing in the fixed
 * image, and an image without any package inventory fails closed.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScanError, ScanFailure } from "../../src/scan/errors";
import { scanImage } from "../../src/scan/scan";
import { countingTrivy, FIXED_IMAGE, requireScanner, TRIVY, VULNERABLE_IMAGE } from "./helpers";

const run = promisify(execFile);
const gate = { failOn: "high" as const, ignoreUnfixed: false, ignores: [] };

describe("trivy on the test images", () => {
  let dir: string;
  const bare = `shipshape-test/scan-bare-${process.pid}:1`;
  beforeAll(async () => {
    await requireScanner();
    dir = mkdtempSync(join(tmpdir(), "shipshape-trivy-"));
    // busybox alone: no dpkg record, no language packages.
    await run("sh", [
      "-c",
      `mkdir -p '${dir}/bare/bin' && cp /bin/busybox '${dir}/bare/bin/' && tar -C '${dir}/bare' -c . | docker import - ${bare}`,
    ]);
  }, 300_000);
  afterAll(async () => {
    await run("docker", ["rmi", "-f", bare]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds the published advisories of lodash 4.17.20, minimist 1.2.5 and request 2.88.2", async () => {
    const o = await scanImage({ image: VULNERABLE_IMAGE, reportDir: join(dir, "r1"), useCache: false }, gate);
    expect(o.scanned).toBe(true);
    expect(o.result.os).toMatch(/^debian /);
    expect(o.result.targets.map((t) => t.type).sort()).toEqual(["debian", "node-pkg"]);
    const found = o.result.vulnerabilities
      .map(
        (v) =>
          `${v.id} ${v.packageName}@${v.installedVersion} ${v.severity} fixed:${v.fixedVersion ?? "none"}`,
      )
      .sort();
    expect(found).toEqual([
      "CVE-2020-28500 lodash@4.17.20 medium fixed:4.17.21",
      "CVE-2021-23337 lodash@4.17.20 high fixed:4.17.21",
      "CVE-2021-44906 minimist@1.2.5 critical fixed:0.2.4, 1.2.6",
      "CVE-2023-28155 request@2.88.2 medium fixed:none",
    ]);
    expect(o.outcome.passed).toBe(false);
    expect(o.outcome.blocking.map((v) => v.id).sort()).toEqual(["CVE-2021-23337", "CVE-2021-44906"]);
    const imageId = (
      await run("docker", ["image", "inspect", "--format", "{{.Id}}", VULNERABLE_IMAGE])
    ).stdout.trim();
    expect(o.imageRef).toBe(imageId);
  }, 120_000);

  it("passes the fixed releases, and a second scan of the same key runs no scanner", async () => {
    const counting = countingTrivy(dir);
    const request = { image: FIXED_IMAGE, reportDir: join(dir, "r2"), trivyPath: counting.path };
    const first = await scanImage(request, gate);
    expect(first.result.vulnerabilities).toEqual([]);
    expect(first.result.packages).toBeGreaterThan(2);
    expect(first.outcome.passed).toBe(true);
    const again = await scanImage(request, gate);
    expect(again.scanned).toBe(false);
    expect(again.key).toBe(first.key);
    const changedGate = await scanImage(request, { ...gate, failOn: "medium" as const });
    expect(changedGate.scanned).toBe(true);
    const { readFileSync } = await import("node:fs");
    expect(readFileSync(counting.counter, "utf8").trim().split("\n")).toHaveLength(2);
  }, 120_000);

  it("fails closed on an image with no package inventory, unless told to accept it", async () => {
    let error: unknown;
    try {
      await scanImage({ image: bare, reportDir: join(dir, "r3") }, gate);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScanError);
    expect((error as ScanError).failure).toBe(ScanFailure.NothingToScan);
    const accepted = await scanImage(
      { image: bare, reportDir: join(dir, "r3"), allowNoPackages: true },
      gate,
    );
    expect(accepted.result.packages).toBe(0);
  }, 120_000);

  it("is the trivy the setup built", async () => {
    const { stdout } = await run(TRIVY, ["version", "--format", "json"]);
    expect((JSON.parse(stdout) as { Version: string }).Version).toBe("0.74.0");
  });
});
