/**
 * ImageScan under the real Pulumi CLI, the real trivy and the real engine: the vulnerable image
 * fails `up` before any of the service exists, the fixed one deploys by image ID, an unchanged
 * second `up` and `preview` run no scanner, and every way the scan cannot happen fails the
 * deployment with its own message.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokenTrivy, countingTrivy, FIXED_IMAGE, requireScanner, VULNERABLE_IMAGE } from "../scan/helpers";
import {
  containersNamed,
  docker,
  POLICY_PACK,
  PulumiWorkspace,
  policyViolations,
  REPO,
  requireToolchain,
  skipPulumi,
} from "./pulumi-cli";

const PROGRAM = join(REPO, "test", "fixtures", "programs", "image-scan", "index.ts");
const scans = (counter: string) => readFileSync(counter, "utf8").split("\n").filter(Boolean).length;

describe.skipIf(skipPulumi)("ImageScan with the real CLI, trivy and engine", () => {
  let ws: PulumiWorkspace;
  let dir: string;
  const tag = `ss-scan-${process.pid}`;

  async function stack(name: string, config: Record<string, string>): Promise<void> {
    await ws.pulumiOk(["stack", "init", name], dir);
    await ws.pulumiOk(["config", "set", "prefix", `${tag}-${name}`, "--stack", name], dir);
    for (const [k, v] of Object.entries(config))
      await ws.pulumiOk(["config", "set", k, v, "--stack", name], dir);
  }

  beforeAll(async () => {
    await requireToolchain();
    await requireScanner();
    ws = new PulumiWorkspace("image-scan");
    dir = ws.stage("image-scan", PROGRAM);
  }, 300_000);

  afterAll(async () => {
    for (const name of await containersNamed(tag).catch(() => []))
      await docker(["rm", "-f", name]).catch(() => "");
    ws?.dispose();
  });

  it("fails `up` on the vulnerable image before anything of the service exists", async () => {
    await stack("vuln", { image: VULNERABLE_IMAGE, reportDir: mkdtempSync(join(ws.dir, "reports-")) });
    const up = await ws.pulumi(["up", "--yes", "--stack", "vuln"], dir, 300_000);
    expect(up.code).not.toBe(0);
    expect(up.output).toContain("at or above high");
    expect(up.output).toContain("CVE-2021-44906");
    expect(up.output).toContain("CVE-2021-23337");
    expect(await containersNamed(`${tag}-vuln`)).toEqual([]);
    const exported = JSON.parse((await ws.pulumiOk(["stack", "export", "--stack", "vuln"], dir)).stdout) as {
      deployment: { resources?: { type: string }[] };
    };
    const types = (exported.deployment.resources ?? []).map((r) => r.type);
    expect(types.filter((t) => t.startsWith("docker:"))).toEqual([]);
  }, 400_000);

  it("deploys the fixed image by its ID; a second up and a preview run no scanner; destroy leaves nothing", async () => {
    const scanner = countingTrivy(ws.dir);
    await stack("fixed", {
      image: FIXED_IMAGE,
      trivyPath: scanner.path,
      reportDir: mkdtempSync(join(ws.dir, "reports-")),
    });
    await ws.pulumiOk(["up", "--yes", "--stack", "fixed"], dir, 300_000);
    expect(scans(scanner.counter)).toBe(1);
    const imageRef = (
      await ws.pulumiOk(["stack", "output", "imageRef", "--stack", "fixed"], dir)
    ).stdout.trim();
    expect(imageRef).toBe(await docker(["image", "inspect", "--format", "{{.Id}}", FIXED_IMAGE]));
    const [container] = await containersNamed(`${tag}-fixed`);
    expect(container).toBeDefined();
    expect(await docker(["inspect", "--format", "{{.Image}}", container as string])).toBe(imageRef);
    const summary = JSON.parse(
      (await ws.pulumiOk(["stack", "output", "summary", "--json", "--stack", "fixed"], dir)).stdout,
    ) as {
      passed: boolean;
      counts: Record<string, number>;
      packages: number;
    };
    expect(summary.passed).toBe(true);
    expect(summary.counts).toEqual({ critical: 0, high: 0, medium: 0, low: 0, unknown: 0 });
    expect(summary.packages).toBeGreaterThan(0);
    const report = JSON.parse(
      readFileSync(
        (await ws.pulumiOk(["stack", "output", "reportPath", "--stack", "fixed"], dir)).stdout.trim(),
        "utf8",
      ),
    ) as { digest: string };
    expect(report.digest).toBe(imageRef);

    await ws.pulumiOk(["up", "--yes", "--expect-no-changes", "--stack", "fixed"], dir, 300_000);
    await ws.pulumiOk(["preview", "--expect-no-changes", "--stack", "fixed"], dir, 300_000);
    expect(scans(scanner.counter)).toBe(1);

    // The policy pack takes the scan as the image's evidence.
    const previewed = await ws.pulumiOk(
      ["preview", "--policy-pack", POLICY_PACK, "--stack", "fixed"],
      dir,
      300_000,
    );
    expect(policyViolations(previewed.output).filter((v) => v.policy === "image-not-verified")).toEqual([]);

    await ws.pulumiOk(["destroy", "--yes", "--stack", "fixed"], dir, 300_000);
    expect(await containersNamed(`${tag}-fixed`)).toEqual([]);
  }, 900_000);

  const faults: { name: string; config: (d: string) => Record<string, string>; message: RegExp }[] = [
    {
      name: "nobinary",
      config: () => ({ trivyPath: "/nonexistent/trivy" }),
      message: /\/nonexistent\/trivy does not exist: run scripts\/setup\.sh/,
    },
    {
      name: "nodb",
      config: (d) => ({ cacheDir: join(d, "empty-cache") }),
      message: /vulnerability database .*trivy\.db does not exist/,
    },
    {
      name: "hang",
      config: (d) => ({ trivyPath: brokenTrivy(d, "trivy-hang", "  exec sleep 600"), timeoutSeconds: "3" }),
      message: /did not finish scanning .* within 3 s/,
    },
    {
      name: "crash",
      config: (d) => ({
        trivyPath: brokenTrivy(d, "trivy-crash", "  echo 'FATAL broken scanner' >&2; exit 3"),
      }),
      message: /exited with code 3[\s\S]*FATAL broken scanner/,
    },
    {
      name: "noimage",
      config: () => ({ image: "shipshape-test/not-there:1" }),
      message: /"shipshape-test\/not-there:1" is not in the Docker engine/,
    },
  ];

  for (const fault of faults) {
    it(`fails the deployment with its own message: ${fault.name}`, async () => {
      const d = mkdtempSync(join(ws.dir, `${fault.name}-`));
      await stack(fault.name, { image: FIXED_IMAGE, reportDir: join(d, "reports"), ...fault.config(d) });
      const started = Date.now();
      const up = await ws.pulumi(["up", "--yes", "--stack", fault.name], dir, 300_000);
      expect(up.code).not.toBe(0);
      expect(up.output).toMatch(fault.message);
      expect(up.output).not.toMatch(/0 vulnerabilit/);
      expect(await containersNamed(`${tag}-${fault.name}`)).toEqual([]);
      if (fault.name === "hang") expect(Date.now() - started).toBeLessThan(120_000);
    }, 300_000);
  }
});
