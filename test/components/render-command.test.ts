/** `shipshape render` end to end: the CLI runs the example programs and writes auditable files. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runCli } from "../../src/cli/program";
import { audit } from "../../src/engine/audit";
import { loadComposeFile } from "../../src/sources/compose-file";
import { loadKubernetesFile } from "../../src/sources/kubernetes-file";

const root = join(__dirname, "..", "..");
const out = mkdtempSync(join(tmpdir(), "shipshape-render-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function cli(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  const code = runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe("shipshape render", () => {
  it("writes compose.yaml and the seccomp profile it names, which audit clean", () => {
    const dir = join(out, "docker");
    const r = cli("render", join(root, "examples/secure-service-docker"), "--to", "compose", "--out", dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(join(dir, "compose.yaml"));
    const text = readFileSync(join(dir, "compose.yaml"), "utf8");
    const doc = parse(text) as { services: Record<string, { security_opt: string[] }> };
    const seccomp =
      doc.services.web?.security_opt.find((o) => o.startsWith("seccomp="))?.slice("seccomp=".length) ?? "";
    expect(existsSync(join(dir, seccomp))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, seccomp), "utf8")).defaultAction).toBe("SCMP_ACT_ERRNO");
    const loaded = loadComposeFile("compose.yaml", text);
    expect(loaded.errors).toEqual([]);
    expect(audit(loaded.resources, { profile: "cis-docker" })).toEqual([]);
  });

  it("writes Kubernetes YAML that passes Pod Security restricted", () => {
    const dir = join(out, "kube");
    const r = cli(
      "render",
      join(root, "examples/secure-service-kubernetes"),
      "--to",
      "kubernetes",
      "--out",
      dir,
    );
    expect(r.code).toBe(0);
    const loaded = loadKubernetesFile("kubernetes.yaml", readFileSync(join(dir, "kubernetes.yaml"), "utf8"));
    expect(loaded.errors).toEqual([]);
    expect(loaded.resources.filter((x) => x.kind === "workload")).toHaveLength(2);
    expect(audit(loaded.resources, { profile: "restricted" })).toEqual([]);
  });

  it("renders a Docker program for Kubernetes, and the override example keeps its reasons", () => {
    const dir = join(out, "override");
    expect(
      cli("render", join(root, "examples/secure-service-override"), "--to", "compose", "--out", dir).code,
    ).toBe(0);
    const text = readFileSync(join(dir, "compose.yaml"), "utf8");
    expect(text).toContain(
      "shipshape.io/override.writableRootFilesystem: vendor binary writes its font cache",
    );
    const findings = audit(loadComposeFile("compose.yaml", text).resources, {
      profile: "default",
      skip: ["image-digest"],
    });
    expect(findings).toEqual([]);
    expect(
      cli(
        "render",
        join(root, "examples/secure-service-docker"),
        "--to",
        "kubernetes",
        "--out",
        join(out, "d2k"),
      ).code,
    ).toBe(0);
  });

  it("fails with the field path, value and fix when the program's args are invalid for the target", () => {
    const r = cli(
      "render",
      join(root, "examples/secure-service-override"),
      "--to",
      "kubernetes",
      "--out",
      join(out, "bad"),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /image: Kubernetes deployments pin images by digest.*\(got "registry\.example\.com\/finance\/reports:2\.4\.1"\)/,
    );
  });

  it("fails clearly on a directory that is not a Pulumi program, or declares no SecureService", () => {
    const r = cli("render", out, "--to", "compose", "--out", join(out, "x"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no Pulumi\.yaml/);
    const empty = join(out, "empty");
    mkdirSync(empty);
    writeFileSync(join(empty, "Pulumi.yaml"), "name: empty\nruntime: nodejs\n");
    writeFileSync(join(empty, "index.js"), "module.exports = {};\n");
    const r2 = cli("render", empty, "--to", "compose", "--out", join(out, "y"));
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/declares no SecureService/);
  });

  it("refuses an environment value only known at deployment, writing nothing", () => {
    const dir = join(out, "output-env");
    const r = cli("render", join(root, "test/fixtures/programs/output-env"), "--to", "compose", "--out", dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SecureService "web": env\.INSTANCE is not known until deployment/);
    expect(r.stderr).not.toMatch(/Calling \[toString\]/);
    expect(existsSync(join(dir, "compose.yaml"))).toBe(false);
  });

  it("requires --to and --out", () => {
    expect(cli("render", join(root, "examples/secure-service-docker"), "--out", out).code).toBe(2);
    expect(
      cli("render", join(root, "examples/secure-service-docker"), "--to", "helm", "--out", out).code,
    ).toBe(2);
  });
});
