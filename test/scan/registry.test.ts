/**
 * Scanning from the loopback registry (scripts/registry.sh, Debian's docker-registry): the
 * digest is the registry's, a tag moved to other content is scanned anew, and a registry that
 * is down or has no such image fails closed, naming the registry.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScanError, ScanFailure } from "../../src/scan/errors";
import { scanImage } from "../../src/scan/scan";
import { ImageSource } from "../../src/scan/trivy";
import { FIXED_IMAGE, REPO, requireScanner, VULNERABLE_IMAGE } from "./helpers";

const run = promisify(execFile);
const REGISTRY = "127.0.0.1:5000";
const gate = { failOn: "high" as const, ignoreUnfixed: false, ignores: [] };
const repo = `${REGISTRY}/shipshape-test/scan-moving-${process.pid}`;

async function push(local: string, remote: string): Promise<string> {
  await run("docker", ["tag", local, remote]);
  await run("docker", ["push", "-q", remote]);
  const digests = (await run("docker", ["image", "inspect", "--format", "{{json .RepoDigests}}", remote]))
    .stdout;
  const repository = remote.replace(/:[^:/]+$/, "");
  const digest = (JSON.parse(digests) as string[]).find((d) => d.startsWith(`${repository}@`));
  if (!digest) throw new Error(`no registry digest for ${remote} in ${digests}`);
  return digest.slice(digest.indexOf("@") + 1);
}

describe("ImageScan's registry source", () => {
  let dir: string;
  beforeAll(async () => {
    await requireScanner();
    await run("bash", [join(REPO, "scripts", "registry.sh"), "start"]);
    dir = mkdtempSync(join(tmpdir(), "shipshape-registry-scan-"));
  }, 300_000);
  afterAll(async () => {
    await run("docker", ["rmi", `${repo}:1`]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it("scans the content the tag names now, and a moved tag is a new scan", async () => {
    const request = {
      image: `${repo}:1`,
      source: ImageSource.Registry,
      insecureRegistry: true,
      reportDir: dir,
    };
    const vulnerableDigest = await push(VULNERABLE_IMAGE, `${repo}:1`);
    const first = await scanImage(request, gate);
    expect(first.digest).toBe(vulnerableDigest);
    expect(first.imageRef).toBe(`${repo}@${vulnerableDigest}`);
    expect(first.outcome.passed).toBe(false);
    expect(first.result.vulnerabilities.map((v) => v.id).sort()).toEqual([
      "CVE-2020-28500",
      "CVE-2021-23337",
      "CVE-2021-44906",
      "CVE-2023-28155",
    ]);

    // The same tag pushed again with other content.
    const fixedDigest = await push(FIXED_IMAGE, `${repo}:1`);
    expect(fixedDigest).not.toBe(vulnerableDigest);
    const moved = await scanImage(request, gate);
    expect(moved.scanned).toBe(true);
    expect(moved.digest).toBe(fixedDigest);
    expect(moved.key).not.toBe(first.key);
    expect(moved.outcome.passed).toBe(true);
  }, 180_000);

  it("fails closed, naming the registry, when it is down or has no such image", async () => {
    const attempts: [string, ScanFailure, RegExp][] = [
      [
        "127.0.0.1:5999/team/app:1",
        ScanFailure.EngineUnreachable,
        /the registry 127\.0\.0\.1:5999 did not answer/,
      ],
      [
        `${REGISTRY}/shipshape-test/never-pushed:1`,
        ScanFailure.ImageNotFound,
        /the registry 127\.0\.0\.1:5000 has no image/,
      ],
    ];
    for (const [image, failure, message] of attempts) {
      let error: unknown;
      try {
        await scanImage(
          { image, source: ImageSource.Registry, insecureRegistry: true, reportDir: dir },
          gate,
        );
      } catch (e) {
        error = e;
      }
      expect(error, image).toBeInstanceOf(ScanError);
      expect((error as ScanError).failure, image).toBe(failure);
      expect((error as Error).message).toMatch(message);
    }
  }, 60_000);
});
