/**
 * examples/ci: the local pipeline script run for real (the engine, the loopback registry, trivy,
 * cosign and the Pulumi CLI), and the GitLab and GitHub pipelines checked against it.
 *  - the example app goes through every stage, runs hardened, answers; a second run with
 *    --destroy changes nothing and then leaves nothing behind;
 *  - the vulnerable test image fails at the scan stage: nothing is pushed, signed or deployed;
 *  - both CI files parse, list the same stages in the same order and call the same shipshape
 *    (and pulumi) commands, with the same options, as the script.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { RegistryClient } from "../../src/registry";
import { requireScanner, VULNERABLE_IMAGE } from "../scan/helpers";
import { requireCosign, requireRegistry } from "../signing/helpers";
import { containersNamed, docker, freePort, REPO, requireToolchain, skipPulumi } from "./pulumi-cli";

const CI = join(REPO, "examples", "ci");
const SCRIPT = join(CI, "run-local.sh");
const STAGES = ["validate", "build", "scan", "push", "sign", "preview", "deploy"];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The script, for real; never throws on a non-zero exit (the test asserts on it). */
function runLocal(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      "bash",
      [SCRIPT, ...args],
      { env: { ...process.env, ...env }, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The stage lines: `[i/N] name  what … ok 1.2s` (or `FAILED 1.2s`), as [name, verdict]. */
const stageLines = (stdout: string) =>
  [...stdout.matchAll(/^\[(\d+)\/(\d+)\] (\S+) .* … (ok|FAILED) [\d.]+s$/gm)].map((m) => [m[3], m[4]]);

describe.skipIf(skipPulumi)("examples/ci/run-local.sh, for real", () => {
  let client: RegistryClient;
  const id = `e2e${process.pid}`;
  const prefix = `sspipe-${id}`;
  const repo = `${prefix}/ci-app`;
  let work: string;
  let port: number;
  const env = () => ({ SSPIPE_PREFIX: prefix, SSPIPE_PORT: String(port) });

  beforeAll(async () => {
    await requireToolchain();
    await requireScanner();
    requireCosign();
    client = await requireRegistry();
    work = mkdtempSync(join(tmpdir(), "sspipe-e2e-"));
    port = await freePort();
  }, 300_000);

  afterAll(async () => {
    // Only when a test failed midway: what the script made, by its prefix.
    for (const name of await containersNamed(prefix).catch(() => []))
      await docker(["rm", "-f", name]).catch(() => "");
    const nets = await docker([
      "network",
      "ls",
      "--filter",
      `name=^${prefix}`,
      "--format",
      "{{.Name}}",
    ]).catch(() => "");
    for (const net of nets.split("\n").filter(Boolean)) await docker(["network", "rm", net]).catch(() => "");
    const images = await docker(["images", "--format", "{{.Repository}}:{{.Tag}}"]).catch(() => "");
    for (const image of images.split("\n").filter((i) => i.includes(prefix)))
      await docker(["rmi", image]).catch(() => "");
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("runs every stage for the example app, deploys it hardened, and with --destroy leaves nothing", async () => {
    const dir = join(work, "clean");
    const first = await runLocal(["--work-dir", dir, "--stack", id], env());
    expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0);
    expect(stageLines(first.stdout)).toEqual(STAGES.map((s) => [s, "ok"]));
    expect(first.stdout).toContain(`log ${join(dir, "pipeline.log")}`);

    // The reports CI uploads: SARIF 2.1.0, the audit's with the one accepted finding at most.
    for (const report of ["audit.sarif", "scan.sarif"]) {
      const sarif = JSON.parse(readFileSync(join(dir, report), "utf8"));
      expect(sarif.version).toBe("2.1.0");
    }
    const imageRef = readFileSync(join(dir, "image-ref"), "utf8").trim();
    expect(imageRef).toMatch(new RegExp(`^127\\.0\\.0\\.1:5000/${repo}@sha256:[0-9a-f]{64}$`));
    const digest = imageRef.slice(imageRef.indexOf("@") + 1);
    expect((await client.resolve(repo, id))?.digest).toBe(digest);
    expect(await client.tags(repo)).toContain(`sha256-${digest.slice(7)}.sig`);

    // The deployed container: the signed digest, running, healthy, hardened, answering.
    const container = readFileSync(join(dir, "container"), "utf8").trim();
    expect(await containersNamed(prefix)).toEqual([container]);
    const inspect = JSON.parse(await docker(["inspect", container]))[0];
    expect(inspect.Config.Image).toBe(imageRef);
    expect(inspect.State.Running).toBe(true);
    expect(inspect.State.Health.Status).toBe("healthy");
    expect(inspect.Config.User).toBe("10001:10001");
    expect(inspect.HostConfig.ReadonlyRootfs).toBe(true);
    expect(inspect.HostConfig.CapDrop).toContain("ALL");
    expect(inspect.HostConfig.Privileged).toBe(false);
    expect(inspect.HostConfig.SecurityOpt).toContain("no-new-privileges:true");
    expect(inspect.HostConfig.Memory).toBeGreaterThan(0);
    expect(inspect.HostConfig.PortBindings["8080/tcp"]).toEqual([
      { HostIp: "127.0.0.1", HostPort: String(port) },
    ]);
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(page).toContain("shipshape CI example");
    // Root cannot be had and the root filesystem cannot be written, inside the container.
    expect(await docker(["exec", container, "/bin/id", "-u"])).toBe("10001");
    await expect(docker(["exec", container, "/bin/touch", "/tmp/x"])).rejects.toThrow(
      /Read-only file system/,
    );

    // Again, with --destroy: the same stages pass (nothing changes), then everything goes.
    const second = await runLocal(["--work-dir", dir, "--stack", id, "--destroy"], env());
    expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(0);
    expect(stageLines(second.stdout)).toEqual([...STAGES, "destroy"].map((s) => [s, "ok"]));
    expect(readFileSync(join(dir, "pipeline.log"), "utf8")).toMatch(/unchanged/);
    expect(await containersNamed(prefix)).toEqual([]);
    expect(await docker(["network", "ls", "--filter", `name=^${prefix}`, "--format", "{{.Name}}"])).toBe("");
    expect((await docker(["images", "--format", "{{.Repository}}:{{.Tag}}"])).split("\n")).not.toEqual(
      expect.arrayContaining([expect.stringContaining(prefix)]),
    );
    expect(await client.tags(repo)).toEqual([]);
    expect(existsSync(join(dir, "state", ".pulumi", "stacks", "shipshape-ci-app", `${id}.json`))).toBe(false);
  }, 480_000);

  it("fails at the scan stage for the vulnerable test image: nothing pushed, signed or deployed", async () => {
    const dir = join(work, "vulnerable");
    const run = await runLocal(["--work-dir", dir, "--stack", `${id}v`, "--image", VULNERABLE_IMAGE], env());
    expect(run.code).toBe(1);
    expect(stageLines(run.stdout)).toEqual([
      ["validate", "ok"],
      ["build", "ok"],
      ["scan", "FAILED"],
    ]);
    expect(run.stderr).toContain("run-local: stage scan failed (exit 1)");
    expect(run.stderr).toContain("pipeline stopped at stage scan");
    expect(run.stderr).toMatch(/critical vulnerability \(--block-critical\)/);
    // The scan's report is there for CI to upload; nothing after it ran.
    expect(JSON.parse(readFileSync(join(dir, "scan.sarif"), "utf8")).runs[0].results.length).toBeGreaterThan(
      0,
    );
    expect(await client.tags(repo)).toEqual([]);
    expect(existsSync(join(dir, "image-ref"))).toBe(false);
    expect(existsSync(join(dir, "keys"))).toBe(false);
    expect(existsSync(join(dir, "state"))).toBe(false);
    expect(await containersNamed(prefix)).toEqual([]);
  }, 300_000);
});

// --- the CI files against the script ---------------------------------------------------------------

/** Options that differ by where a command runs, not by what it does. */
const CONTEXT_FLAGS = new Set(["--non-interactive", "--skip-preview"]);

/**
 * The commands of a piece of shell, each as "NAME FLAGS…" (flags sorted, values dropped):
 * `shipshape SUB [SUB2]`, `pulumi preview|up` and `cosign verify`.
 */
function commands(text: string): string[] {
  const joined = text.replace(/\\\n\s*/g, " ");
  const out: string[] = [];
  for (const line of joined.split("\n")) {
    const m =
      /(?:"\$\{shipshape\[@\]\}"|npx shipshape) ((?:image|registry) [a-z]+|[a-z]+)(.*)$/.exec(line) ??
      /(?:pulumi_app|pulumi --cwd "\$APP_DIR") (preview|up)\b(.*)$/.exec(line) ??
      /(?:"\$cosign_bin"|cosign) (verify)\b(.*)$/.exec(line);
    if (!m) continue;
    const tool = line.includes("shipshape") ? "shipshape" : line.includes("cosign") ? "cosign" : "pulumi";
    const flags = [...(m[2] ?? "").matchAll(/(?:^|\s)(--?[a-z][a-z-]*)/g)]
      .map((f) => f[1] ?? "")
      .filter((f) => !CONTEXT_FLAGS.has(f));
    out.push([`${tool} ${m[1]}`, ...[...new Set(flags)].sort()].join(" "));
  }
  return out;
}

/** run-local.sh's stage functions, by stage name (the function of the same name; deploy's is `deploy`). */
function localStages(): Map<string, string[]> {
  const source = readFileSync(SCRIPT, "utf8");
  const stages = new Map<string, string[]>();
  for (const stage of STAGES) {
    const body = new RegExp(`^${stage}\\(\\) \\{\\n([\\s\\S]*?)^\\}`, "m").exec(source)?.[1];
    if (body === undefined) throw new Error(`run-local.sh has no function ${stage}()`);
    // keygen makes the local key; CI's key is a secret.
    stages.set(
      stage,
      commands(body).filter((c) => !c.startsWith("shipshape image keygen")),
    );
  }
  return stages;
}

describe("examples/ci pipelines match run-local.sh", () => {
  const local = localStages();

  it("run-local.sh runs its stages in this order and calls shipshape in each gate", () => {
    const source = readFileSync(SCRIPT, "utf8");
    const order = [...source.matchAll(/^\s*stage (\w+) /gm)].map((m) => m[1]);
    expect([...new Set(order)]).toEqual([...STAGES, "destroy"]);
    expect(local.get("validate")).toEqual(["shipshape audit --format -o"]);
    expect(local.get("build")).toEqual([]);
    expect(local.get("scan")).toEqual(["shipshape scan --block-critical --max-vulns -e -f -o -s"]);
    expect(local.get("push")).toEqual(["shipshape registry push --block-critical --to"]);
    expect(local.get("sign")).toEqual([
      "shipshape image sign --key",
      "shipshape image verify --key",
      "cosign verify --insecure-ignore-tlog --key",
    ]);
    expect(local.get("preview")).toEqual(["pulumi preview --policy-pack --policy-pack-config --stack"]);
    expect(local.get("deploy")).toEqual(["pulumi up --policy-pack --policy-pack-config --stack --yes"]);
  });

  it("GitLab CI: the same stages in order, each job calling the same commands", () => {
    const gitlab = parse(readFileSync(join(CI, ".gitlab-ci.yml"), "utf8")) as Record<string, unknown>;
    expect(gitlab.stages).toEqual(STAGES);
    for (const stage of STAGES) {
      const jobs = Object.values(gitlab).filter(
        (j): j is { stage: string; script: string[] } =>
          typeof j === "object" && j !== null && (j as { stage?: string }).stage === stage,
      );
      expect(jobs.length, stage).toBe(1);
      expect(commands((jobs[0]?.script ?? []).join("\n")), stage).toEqual(local.get(stage));
    }
    const artifacts = (job: string) =>
      ((gitlab[job] as { artifacts?: { paths?: string[] } }).artifacts?.paths ?? []).join(" ");
    expect(artifacts("validate")).toContain("audit.sarif");
    expect(artifacts("scan")).toContain("scan.sarif");
  });

  it("GitHub Actions: the same stages in order, each step calling the same commands; SARIF to code scanning", () => {
    const gh = parse(readFileSync(join(CI, "github-actions.yml"), "utf8")) as {
      jobs: Record<
        string,
        {
          permissions?: Record<string, string>;
          steps: { id?: string; run?: string; uses?: string; with?: Record<string, string> }[];
        }
      >;
    };
    const steps = Object.values(gh.jobs).flatMap((j) => j.steps);
    expect(steps.map((s) => s.id).filter((s) => s !== undefined)).toEqual(STAGES);
    for (const stage of STAGES) {
      const step = steps.find((s) => s.id === stage);
      expect(commands(step?.run ?? ""), stage).toEqual(local.get(stage));
    }
    const uploads = steps.filter((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
    expect(uploads.map((s) => s.with?.sarif_file).sort()).toEqual(["audit.sarif", "scan.sarif"]);
    for (const job of [gh.jobs.validate, gh.jobs.release])
      expect(job?.permissions?.["security-events"]).toBe("write");
  });

  it("keeps secrets out of argv: the key from a file, the passphrase from the environment", () => {
    for (const file of [".gitlab-ci.yml", "github-actions.yml", "run-local.sh"]) {
      const text = readFileSync(join(CI, file), "utf8");
      expect(text, file).not.toMatch(/--passphrase|PULUMI_CONFIG_PASSPHRASE=\S|--key\s+"?\$\{\{/);
      expect(text, file).not.toMatch(/config set --secret/);
    }
  });
});
