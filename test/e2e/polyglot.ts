/**
 * What the YAML and Python e2e tests share: staging a program of another language against the
 * shipshape component package (provider/), and the reference stack's hardening checks on the
 * two services those programs deploy (docker inspect, then proofs from inside the containers).
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import { docker, PULUMI_BIN, REPO, requireBinaries, requireToolchain } from "./pulumi-cli";

const run = promisify(execFile);

/** The component package every language consumes (`pulumi package add` of this path). */
export const PROVIDER_DIR = join(REPO, "provider");
const cacheDir =
  process.env.SHIPSHAPE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "shipshape");
/** The virtual environment scripts/python-venv.sh makes (PyPI's pulumi). */
export const PYTHON_VENV = process.env.SHIPSHAPE_PYTHON_VENV ?? join(cacheDir, "python", "venv");

/** build.sh's src_hash of a wrapper module: sha256sum of its Go sources, sorted by path, hashed again. */
function srcHash(module: string): string {
  const base = join(REPO, "scripts", "pulumi-toolchain");
  const files = readdirSync(join(base, module))
    .filter((f) => f.endsWith(".go") || f === "go.mod" || f === "go.sum")
    .map((f) => `${module}/${f}`)
    .sort();
  const sums = files
    .map(
      (f) =>
        `${createHash("sha256")
          .update(readFileSync(join(base, f)))
          .digest("hex")}  ${f}\n`,
    )
    .join("");
  return createHash("sha256").update(sums).digest("hex").slice(0, 16);
}

/**
 * The hosts in the shared toolchain directory must be built from this checkout's sources: another
 * checkout's build.sh (an older Node host runs component packages with the wrong arguments)
 * replaces them in the same cache.
 */
function requireOwnBuild(component: string): void {
  const stamp = join(PULUMI_BIN, "..", "stamps", component);
  const recorded = existsSync(stamp) ? readFileSync(stamp, "utf8") : "";
  if (!recorded.includes(`src=${srcHash(component)}`))
    throw new Error(
      `${component} in ${PULUMI_BIN} was not built from this checkout's scripts/pulumi-toolchain/${component} (stamp: ${recorded.trim() || "none"}): run scripts/pulumi-toolchain/build.sh`,
    );
}

/** Throws, saying how to get it, unless the toolchain with the language host `language` is there. */
export async function requirePolyglotToolchain(language: "yaml" | "python"): Promise<void> {
  await requireToolchain();
  requireBinaries([`pulumi-language-${language}`]);
  if (!existsSync(join(PULUMI_BIN, "..", "path", `pulumi-language-${language}`)))
    throw new Error(
      `pulumi-language-${language} is not linked next to the CLI: run scripts/pulumi-toolchain/build.sh (or set SHIPSHAPE_SKIP_PULUMI=1)`,
    );
  requireOwnBuild("language-nodejs");
  requireOwnBuild(`language-${language}`);
  if (language === "python" && !existsSync(join(PYTHON_VENV, "bin", "python")))
    throw new Error(
      `the Python venv ${PYTHON_VENV} is missing: run scripts/python-venv.sh (setup runs it), or set SHIPSHAPE_SKIP_PULUMI=1`,
    );
}

/**
 * Copies an example's files into `dir`, pointing its `packages:` entry at provider/ by absolute
 * path (the copy lives outside the repository) and renaming `rename[0]` to `rename[1]` in
 * Pulumi.yaml (YAML programs name resources literally).
 */
export function stageExample(example: string, dir: string, files: string[], rename?: [string, string]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    let text = readFileSync(join(REPO, "examples", example, f), "utf8");
    if (f === "Pulumi.yaml") {
      expect(text).toContain("shipshape: ../../provider");
      text = text.replace("shipshape: ../../provider", `shipshape: ${PROVIDER_DIR}`);
      if (rename) text = text.split(rename[0]).join(rename[1]);
    }
    writeFileSync(join(dir, f), text);
  }
}

/** The image both programs run, under this run's own tag (same content as the reference stack's). */
export async function buildImage(tag: string): Promise<string> {
  await run("bash", [join(REPO, "stacks/docker/build-image.sh"), tag]);
  return docker(["image", "inspect", "--format", "{{.Id}}", tag]);
}

interface Inspect {
  Config: { User: string; Labels: Record<string, string> };
  State: { Running: boolean };
  HostConfig: {
    ReadonlyRootfs: boolean;
    Privileged: boolean;
    CapDrop: string[] | null;
    CapAdd: string[] | null;
    SecurityOpt: string[] | null;
    Memory: number;
    NanoCpus: number;
    PortBindings: Record<string, { HostIp: string; HostPort: string }[]> | null;
    Tmpfs: Record<string, string> | null;
  };
  NetworkSettings: { Networks: Record<string, unknown> };
}

async function inspect(name: string): Promise<Inspect> {
  const [info] = JSON.parse(await docker(["inspect", "--type", "container", name])) as Inspect[];
  if (!info) throw new Error(`docker inspect ${name}: nothing`);
  return info;
}

/**
 * The reference stack's docker inspect checks on `${prefix}-web` and `${prefix}-worker`; each is
 * on exactly the networks `networksOf` names (default: a network of its own, `<name>-net`).
 */
export async function expectHardenedServices(
  prefix: string,
  webPort: number,
  networksOf: (name: string) => string[] = (name) => [`${name}-net`],
): Promise<void> {
  // Both report healthy (their health checks run inside, under the same restrictions) within a minute.
  for (const name of [`${prefix}-web`, `${prefix}-worker`]) {
    let health = "";
    for (let i = 0; i < 60 && health !== "healthy"; i++) {
      health = await docker(["inspect", "--format", "{{.State.Health.Status}}", name]).catch(() => "");
      if (health !== "healthy") await new Promise((r) => setTimeout(r, 1000));
    }
    expect(health, `${name}'s health`).toBe("healthy");
  }
  for (const name of [`${prefix}-web`, `${prefix}-worker`]) {
    const c = await inspect(name);
    expect(c.State.Running, name).toBe(true);
    expect(c.Config.User, name).toBe("10001:10001");
    expect(c.HostConfig.ReadonlyRootfs, name).toBe(true);
    expect(c.HostConfig.Privileged, name).toBe(false);
    expect(c.HostConfig.CapDrop, name).toEqual(["ALL"]);
    expect(c.HostConfig.CapAdd ?? [], name).toEqual([]);
    const opts = c.HostConfig.SecurityOpt ?? [];
    expect(opts, name).toContain("no-new-privileges:true");
    const seccomp = opts.find((o) => o.startsWith("seccomp="));
    expect(JSON.parse(seccomp?.slice("seccomp=".length) ?? "{}").defaultAction, name).toBe("SCMP_ACT_ERRNO");
    expect(c.HostConfig.Memory, name).toBeGreaterThan(0);
    expect(c.HostConfig.NanoCpus, name).toBeGreaterThan(0);
    expect(Object.keys(c.NetworkSettings.Networks).sort(), name).toEqual(networksOf(name).sort());
    expect(c.Config.Labels["shipshape.io/service"], name).toBe(name);
  }
  const web = await inspect(`${prefix}-web`);
  expect(web.HostConfig.PortBindings).toEqual({
    "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: String(webPort) }],
  });
  const worker = await inspect(`${prefix}-worker`);
  expect(worker.HostConfig.PortBindings ?? {}).toEqual({});
  expect(Object.keys(worker.HostConfig.Tmpfs ?? {})).toEqual(["/tmp"]);

  // The web front answers on its loopback port.
  let body = "";
  for (let attempt = 0; attempt < 20 && !body; attempt++) {
    body = await fetch(`http://127.0.0.1:${webPort}/`).then(
      (r) => (r.ok ? r.text() : ""),
      () => "",
    );
    if (!body) await new Promise((r) => setTimeout(r, 500));
  }
  expect(body).toContain("shipshape reference stack");
}

const exec = async (container: string, argv: string[], user?: string) =>
  docker(["exec", ...(user ? ["--user", user] : []), container, ...argv]).then(
    (out) => ({ code: 0, out }),
    (e: { code?: number; stderr?: string; message: string }) => ({
      code: typeof e.code === "number" ? e.code : 1,
      out: `${e.stderr ?? ""}${e.message}`,
    }),
  );

/** The reference stack's in-container proofs on the worker, and both secret files with their values. */
export async function expectInContainerProofs(
  prefix: string,
  values: { sessionKey: string; apiKey: string },
): Promise<void> {
  const name = `${prefix}-worker`;
  expect((await exec(name, ["id", "-u"])).out.trim()).toBe("10001");
  expect((await exec(name, ["touch", "/etc/shipshape-was-here"])).code).not.toBe(0);
  expect((await exec(name, ["touch", "/tmp/ok"])).code).toBe(0);
  expect((await exec(name, ["cp", "/bin/true", "/tmp/true"])).code).toBe(0);
  expect((await exec(name, ["/tmp/true"])).code).not.toBe(0);
  expect((await exec(name, ["chown", "0:0", "/tmp/ok"])).code).not.toBe(0);
  const status = (await exec(name, ["cat", "/proc/self/status"])).out;
  expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
  expect(status).toMatch(/^Seccomp:\s+2$/m);
  expect(status).toMatch(/^CapEff:\s+0+$/m);
  const unshare = await exec(name, ["unshare", "-U", "true"]);
  expect(unshare.code).not.toBe(0);
  expect(unshare.out).toMatch(/Operation not permitted/);
  // The SecretStore's values, as files owned by the service's uid, mode 0400, read-only, never env.
  for (const [container, path, value] of [
    [`${prefix}-web`, "/run/secrets/session-key", values.sessionKey],
    [`${prefix}-worker`, "/run/secrets/api-key", values.apiKey],
  ] as const) {
    const where = `${container}:${path}`;
    expect((await exec(container, ["cat", path])).out, `${where} holds its secret`).toBe(value);
    // Owner uid:gid and mode (the image's busybox has ls, not stat).
    expect((await exec(container, ["ls", "-ln", path])).out, where).toMatch(/^-r-------- +1 10001 +10001 /);
    const other = await exec(container, ["cat", path], "10002:10002");
    expect(other.code, where).not.toBe(0);
    expect(other.out).toMatch(/Permission denied/);
    expect((await exec(container, ["sh", "-c", `echo x > ${path}`])).code, where).not.toBe(0);
    const environ = await exec(container, ["cat", "/proc/1/environ"]);
    expect(environ.out).toMatch(/PATH=/);
    expect(environ.out.includes(value), `${container}'s environment holds the secret`).toBe(false);
  }
}

/** Docker objects whose name starts with `prefix`. */
export async function leftovers(
  prefix: string,
): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const mine = (out: string) => out.split("\n").filter((n) => n.startsWith(prefix));
  return {
    containers: mine(await docker(["ps", "--all", "--format", "{{.Names}}"])),
    networks: mine(await docker(["network", "ls", "--format", "{{.Name}}"])),
    volumes: mine(await docker(["volume", "ls", "--format", "{{.Name}}"])),
  };
}

/** Removes by name whatever the engine could not delete, so no run leaks into the next. */
export async function removeLeftovers(prefix: string): Promise<void> {
  const left = await leftovers(prefix).catch(() => ({ containers: [], networks: [], volumes: [] }));
  if (left.containers.length) await docker(["rm", "--force", ...left.containers]).catch(() => "");
  if (left.networks.length) await docker(["network", "rm", ...left.networks]).catch(() => "");
  if (left.volumes.length) await docker(["volume", "rm", "--force", ...left.volumes]).catch(() => "");
}
