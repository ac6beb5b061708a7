/**
 * The reference stack (stacks/docker) through the real Pulumi CLI on the real Docker engine:
 * previewed clean with the policy pack, `up` creates running hardened containers, a second `up`
 * changes nothing, the worker's EncryptedVolume holds only ciphertext on the host and is mounted
 * again by the next `up` after an unmount (the worker reading its data back), secrets stay
 * encrypted in the state and masked in the output, and `destroy` leaves no container, network,
 * volume or mount behind.
 *
 * Every Docker object is named with a prefix unique to this run, and afterAll always destroys.
 * Fails (telling you to run scripts/setup.sh) when the toolchain, its docker plugin or the engine
 * is missing, unless SHIPSHAPE_SKIP_PULUMI=1.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMounted } from "../../src/volume/gocryptfs";
import { requireRegistry } from "../signing/helpers";
import {
  type CliResult,
  docker,
  freePort,
  POLICY_PACK,
  PulumiWorkspace,
  policyViolations,
  REPO,
  requireToolchain,
  skipPulumi,
} from "./pulumi-cli";

const run = promisify(execFile);
const STACK_DIR = join(REPO, "stacks/docker");
const PROJECT = "shipshape-reference";
const STACK = "e2e";
const IMAGE = "shipshape-reference/app:1";

interface Inspect {
  Name: string;
  Config: { User: string; Labels: Record<string, string> };
  State: { Running: boolean; Health?: { Status: string } };
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

/** Docker objects whose name starts with the run's prefix, by kind. */
async function leftovers(
  prefix: string,
): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const mine = (out: string) => out.split("\n").filter((n) => n.startsWith(prefix));
  return {
    containers: mine(await docker(["ps", "--all", "--format", "{{.Names}}"])),
    networks: mine(await docker(["network", "ls", "--format", "{{.Name}}"])),
    volumes: mine(await docker(["volume", "ls", "--format", "{{.Name}}"])),
  };
}

/** The secret config value and everything the stack reads it into must never show up. */
function expectNoSecret(text: string, secrets: string[], where: string): void {
  for (const s of secrets)
    expect(text.includes(s), `a secret value appears in plaintext in ${where}`).toBe(false);
}

/** A value, and its base64 and hex encodings: none of them may show up. */
function encodings(values: string[]): string[] {
  return values.flatMap((v) => [v, Buffer.from(v).toString("base64"), Buffer.from(v).toString("hex")]);
}

/** The argv of every process on the machine (the deployment's containers' processes among them). */
function everyArgv(): string {
  const lines: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      lines.push(readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " "));
    } catch {
      // The process ended meanwhile.
    }
  }
  expect(lines.length).toBeGreaterThan(10);
  return lines.join("\n");
}

describe.skipIf(skipPulumi)("reference stack on the local Docker engine (real CLI)", () => {
  const prefix = `e2e-${process.pid}-${randomBytes(3).toString("hex")}`;
  const apiKey = `api-key-${randomBytes(12).toString("hex")}`;
  let ws: PulumiWorkspace;
  let dir: string;
  let webPort: number;
  let deployed = false;
  const outputs: CliResult[] = [];
  const engine = async (args: string[]) => {
    const result = await ws.pulumiOk([...args, "--stack", STACK], dir);
    outputs.push(result);
    return result;
  };

  beforeAll(async () => {
    await requireToolchain();
    // SignedImage publishes the image there.
    await requireRegistry();
    // The same image the main job builds; unchanged inputs keep it as it is.
    await run("bash", [join(STACK_DIR, "build-image.sh"), IMAGE]);
    ws = new PulumiWorkspace("reference-e2e");
    dir = ws.stage(PROJECT, join(STACK_DIR, "index.ts"));
    webPort = await freePort();
    await ws.pulumiOk(["stack", "init", STACK], dir);
    for (const [k, v] of Object.entries({ namePrefix: prefix, webPort: String(webPort), image: IMAGE })) {
      await ws.pulumiOk(["config", "set", "--stack", STACK, k, v], dir);
    }
    await ws.pulumiOk(["config", "set", "--stack", STACK, "--secret", "apiKey", apiKey], dir);
    // The default engine runs containers in the host's user namespace: no id shift for the volume.
    await ws.pulumiOk(["config", "set", "--stack", STACK, "userNamespaceRemap", ""], dir);
    // The monitoring images, built into this engine as the main job builds them into its own; the
    // exporter reads this engine's socket, with its group.
    const images = join(REPO, "scripts", "images", "observability-images.sh");
    await run("bash", [images], { timeout: 300_000 });
    const tags = (await run("bash", [images, "--print-tags"])).stdout.trim().split("\n");
    const tag = (part: string) => tags.find((t) => t.includes(`/${part}:`)) as string;
    const monitoring = {
      prometheusImage: tag("prometheus"),
      alertmanagerImage: tag("alertmanager"),
      exporterImage: tag("engine-exporter"),
      engineSocketGroupId: String(statSync("/var/run/docker.sock").gid),
      engineSocketPath: "/var/run/docker.sock",
    };
    for (const [k, v] of Object.entries(monitoring))
      await ws.pulumiOk(["config", "set", "--stack", STACK, k, v], dir);
  }, 600_000);

  afterAll(async () => {
    if (!ws) return;
    try {
      if (deployed) await ws.pulumi(["destroy", "--yes", "--skip-preview", "--stack", STACK], dir);
    } finally {
      // Whatever the engine could not delete goes by name, so no run leaks into the next.
      const left = await leftovers(prefix).catch(() => ({ containers: [], networks: [], volumes: [] }));
      if (left.containers.length) await docker(["rm", "--force", ...left.containers]).catch(() => "");
      if (left.networks.length) await docker(["network", "rm", ...left.networks]).catch(() => "");
      if (left.volumes.length) await docker(["volume", "rm", "--force", ...left.volumes]).catch(() => "");
      const store = `/var/lib/shipshape/volumes/${prefix}-worker-state`;
      if (isMounted(`${store}/plain`))
        await run("fusermount3", ["-u", "-z", `${store}/plain`]).catch(() => undefined);
      rmSync(store, { recursive: true, force: true });
      ws.dispose();
    }
  });

  it("previews with the policy pack: no violation at all, since the image is scanned, signed, verified and pinned by digest", async () => {
    const result = await engine(["preview", "--policy-pack", POLICY_PACK]);
    expect(result.output).toMatch(/shipshape@v[\d.]+/);
    // The plugins come from the plugin cache build.sh registered them in, not from PATH.
    expect(result.output).not.toMatch(/using pulumi-resource-\S+ from \$PATH/);
    // SignedImage vouches for the image, and the services run it by digest.
    expect(policyViolations(result.output), result.output).toEqual([]);
  }, 240_000);

  it("up creates running, hardened containers", async () => {
    deployed = true;
    const result = await engine(["up", "--yes", "--skip-preview", "--policy-pack", POLICY_PACK]);
    expect(result.output).toMatch(/\+ 60 created/);
    const out = JSON.parse((await engine(["stack", "output", "--json"])).stdout) as {
      containers: string[];
      networks: string[];
      volumes: string[];
      url: string;
      secrets: Record<string, string>;
    };
    expect(out.containers.sort()).toEqual([`${prefix}-web`, `${prefix}-worker`]);
    // The SegmentedNetworks' networks: the web front's outside-facing tier, the worker's own internal one.
    expect(out.networks.sort()).toEqual([`${prefix}-solo-worker`, `${prefix}-tier-edge`]);
    expect(out.volumes).toEqual([`${prefix}-worker-state`]);
    expect(out.secrets).toEqual({ apiKey: "[secret]", sessionKey: "[secret]" });

    // Each runs the content the scan scanned…
    const imageId = await docker(["image", "inspect", "--format", "{{.Id}}", IMAGE]);
    const scanned = JSON.parse((await engine(["stack", "output", "imageScan", "--json"])).stdout) as {
      digest: string;
      passed: boolean;
    };
    expect(scanned).toMatchObject({ digest: imageId, passed: true });
    // …published by SignedImage to this stack's own repository, and run by that digest.
    const signed = JSON.parse((await engine(["stack", "output", "signedImage", "--json"])).stdout) as {
      imageRef: string;
      digest: string;
    };
    expect(signed.imageRef).toBe(`127.0.0.1:5000/${prefix}/app@${signed.digest}`);
    for (const name of out.containers) {
      expect(await docker(["inspect", "--format", "{{.Image}}", name]), name).toBe(imageId);
      expect(await docker(["inspect", "--format", "{{.Config.Image}}", name]), name).toBe(signed.imageRef);
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
      expect(JSON.parse(seccomp?.slice("seccomp=".length) ?? "{}").defaultAction, name).toBe(
        "SCMP_ACT_ERRNO",
      );
      expect(c.HostConfig.Memory, name).toBeGreaterThan(0);
      expect(c.HostConfig.NanoCpus, name).toBeGreaterThan(0);
      // Only the networks its topology gives it (user-defined), never docker0.
      const joined = name.endsWith("-web") ? `${prefix}-tier-edge` : `${prefix}-solo-worker`;
      expect(Object.keys(c.NetworkSettings.Networks), name).toEqual([joined]);
      expect(c.Config.Labels["shipshape.io/service"], name).toBe(name);
    }
    const web = await inspect(`${prefix}-web`);
    expect(web.HostConfig.PortBindings).toEqual({
      "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: String(webPort) }],
    });
    const worker = await inspect(`${prefix}-worker`);
    expect(worker.HostConfig.PortBindings ?? {}).toEqual({});
    expect(Object.keys(worker.HostConfig.Tmpfs ?? {})).toEqual(["/tmp"]);

    // The web front answers on the loopback port it was given.
    let body = "";
    for (let attempt = 0; attempt < 20 && !body; attempt++) {
      body = await fetch(out.url).then(
        (r) => (r.ok ? r.text() : ""),
        () => "",
      );
      if (!body) await new Promise((r) => setTimeout(r, 500));
    }
    expect(out.url).toBe(`http://127.0.0.1:${webPort}/`);
    expect(body).toContain("shipshape reference stack");
  }, 240_000);

  it("deployed through the real CLI, the worker's container enforces what it claims from inside", async () => {
    const name = `${prefix}-worker`;
    /** Runs a command in the running container and returns its exit code and output. */
    const exec = async (...argv: string[]) =>
      docker(["exec", name, ...argv]).then(
        (out) => ({ code: 0, out }),
        (e: { code?: number; stderr?: string; message: string }) => ({
          code: typeof e.code === "number" ? e.code : 1,
          out: `${e.stderr ?? ""}${e.message}`,
        }),
      );
    expect((await exec("id", "-u")).out.trim()).toBe("10001");
    // Read-only root filesystem; the declared tmpfs is writable but not executable.
    expect((await exec("touch", "/etc/shipshape-was-here")).code).not.toBe(0);
    expect((await exec("touch", "/tmp/ok")).code).toBe(0);
    expect((await exec("cp", "/bin/true", "/tmp/true")).code).toBe(0);
    expect((await exec("/tmp/true")).code).not.toBe(0);
    // No capabilities: chown to root is refused.
    expect((await exec("chown", "0:0", "/tmp/ok")).code).not.toBe(0);
    // The strict seccomp profile and no-new-privileges are active for its processes.
    const status = (await exec("cat", "/proc/self/status")).out;
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(status).toMatch(/^Seccomp:\s+2$/m);
    expect(status).toMatch(/^CapEff:\s+0+$/m);
    const unshare = await exec("unshare", "-U", "true");
    expect(unshare.code).not.toBe(0);
    expect(unshare.out).toMatch(/Operation not permitted/);
  }, 120_000);

  it("a second up changes nothing", async () => {
    const result = await engine(["up", "--yes", "--skip-preview", "--policy-pack", POLICY_PACK]);
    expect(result.output).toMatch(/60 unchanged/);
    expect(result.output).not.toMatch(/ (created|updated|replaced|deleted)\b/);
    await engine(["preview", "--expect-no-changes"]);
  }, 240_000);

  it("keeps the worker's state as ciphertext on the host; after an unmount, up mounts it again and the worker reads it back", async () => {
    const out = JSON.parse((await engine(["stack", "output", "--json"])).stdout) as {
      encryptedVolumes: { workerState: { cipherDirectory: string; mountPoint: string } };
    };
    const { cipherDirectory, mountPoint } = out.encryptedVolumes.workerState;
    expect(cipherDirectory).toBe(`/var/lib/shipshape/volumes/${prefix}-worker-state/cipher`);
    const worker = `${prefix}-worker`;
    const marker = `e2e-marker-${randomBytes(6).toString("hex")}`;
    await docker(["exec", worker, "sh", "-c", `echo ${marker} > /data/marker`]);
    let lastRun = "";
    for (let i = 0; i < 20 && !lastRun.includes("shipshape-worker-heartbeat"); i++) {
      lastRun = await docker(["exec", worker, "cat", "/data/last-run"]).catch(() => "");
      if (!lastRun) await new Promise((r) => setTimeout(r, 500));
    }
    expect(lastRun).toContain("shipshape-worker-heartbeat");
    // On the host: ciphertext only (grep exits 1: no match), and no plaintext file names.
    const files = (await run("find", [cipherDirectory, "-type", "f"])).stdout.trim().split("\n");
    expect(files.length).toBeGreaterThan(3);
    for (const plain of [marker, "shipshape-worker-heartbeat"]) {
      const grep = await run("grep", ["-r", "-l", plain, cipherDirectory]).then(
        () => 0,
        (e: { code?: number }) => e.code,
      );
      expect(grep, plain).toBe(1);
    }
    expect(files.some((f) => /marker|last-run/.test(f))).toBe(false);
    // A reboot, as the volume sees it: the worker stops, the plaintext view goes.
    const before = (await inspect(worker)) as Inspect & { Id?: string };
    await docker(["stop", "--time", "1", worker]);
    await run("fusermount3", ["-u", mountPoint]);
    expect(isMounted(mountPoint)).toBe(false);
    const up = await engine(["up", "--yes", "--skip-preview", "--policy-pack", POLICY_PACK]);
    // The mount is updated (mounted again), the worker's container replaced to bind it.
    expect(up.output).toMatch(/~ \d+ updated/);
    expect(up.output).toMatch(/\+-1 replaced/);
    expect(isMounted(mountPoint)).toBe(true);
    const after = (await inspect(worker)) as Inspect & { Id?: string };
    expect(after.State.Running).toBe(true);
    expect(after.Id).not.toBe(before.Id);
    expect(await docker(["exec", worker, "cat", "/data/marker"])).toBe(marker);
    await engine(["preview", "--expect-no-changes"]);
  }, 300_000);

  it("keeps secret values out of the state file and the engine's output", async () => {
    const shown = JSON.parse(
      (await ws.pulumiOk(["stack", "output", "--json", "--show-secrets", "--stack", STACK], dir)).stdout,
    ) as {
      secrets: { apiKey: string; sessionKey: string };
    };
    // The values exist (so the checks below can fail) …
    expect(shown.secrets.apiKey).toBe(apiKey);
    expect(shown.secrets.sessionKey).toMatch(/^[A-Za-z0-9]{32}$/);
    const secrets = [shown.secrets.apiKey, shown.secrets.sessionKey];
    // … and appear nowhere else: not in the checkpoint, the stack's config file, an export, or
    // anything preview/up/output printed.
    const state = ws.stateFile(PROJECT, STACK);
    expect(state).toMatch(/"ciphertext"/);
    // The volume key (generated) is a secret in the mount's inputs and outputs alike.
    const mount = (
      JSON.parse(state) as {
        checkpoint: {
          latest: {
            resources: { type: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[];
          };
        };
      }
    ).checkpoint.latest.resources.find((r) => r.type === "pulumi-nodejs:dynamic/shipshape:EncryptedMount");
    expect(JSON.stringify(mount?.inputs.key)).toMatch(/ciphertext/);
    expect(JSON.stringify(mount?.outputs.key)).toMatch(/ciphertext/);
    expectNoSecret(state, secrets, "the state file");
    for (const file of readdirSync(dir).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
      expectNoSecret(readFileSync(join(dir, file), "utf8"), secrets, file);
    }
    expectNoSecret(
      (await ws.pulumiOk(["stack", "export", "--stack", STACK], dir)).stdout,
      secrets,
      "stack export",
    );
    outputs.forEach((o, i) => {
      expectNoSecret(o.output, secrets, `engine output #${i}`);
    });
  }, 120_000);

  /** The stack's secret values (revealed only here) and which container reads which file. */
  async function revealed(): Promise<{
    values: { apiKey: string; sessionKey: string };
    files: { container: string; path: string; secret: "apiKey" | "sessionKey" }[];
  }> {
    const shown = JSON.parse(
      (await ws.pulumiOk(["stack", "output", "--json", "--show-secrets", "--stack", STACK], dir)).stdout,
    ) as {
      secrets: { apiKey: string; sessionKey: string };
      secretFiles: { container: string; path: string; secret: "apiKey" | "sessionKey" }[];
    };
    return { values: shown.secrets, files: shown.secretFiles };
  }

  const execIn = async (container: string, argv: string[], user?: string) =>
    docker(["exec", ...(user ? ["--user", user] : []), container, ...argv]).then(
      (out) => ({ code: 0, out }),
      (e: { code?: number; stderr?: string; message: string }) => ({
        code: typeof e.code === "number" ? e.code : 1,
        out: `${e.stderr ?? ""}${e.message}`,
      }),
    );

  /** Every container of this run (the loaders too, and the monitoring stack's), inspected. */
  async function inspectAll(): Promise<string> {
    const { containers } = await leftovers(prefix);
    // web, worker, their two secret loaders; exporter, Alertmanager, Prometheus and their two loaders.
    expect(containers.length).toBe(9);
    return docker(["inspect", "--type", "container", ...containers]);
  }

  /** The acceptance searches: the values, base64 and hex, in none of the places a secret leaks to. */
  async function expectNoLeak(values: string[]): Promise<void> {
    const needles = encodings(values);
    const state = ws.stateFile(PROJECT, STACK);
    expect(state).toMatch(/"ciphertext"/);
    expectNoSecret(state, needles, "the state file");
    expectNoSecret(
      (await ws.pulumiOk(["stack", "export", "--stack", STACK], dir)).stdout,
      needles,
      "stack export",
    );
    outputs.forEach((o, i) => {
      expectNoSecret(o.output, needles, `engine output #${i}`);
    });
    expectNoSecret(await inspectAll(), needles, "docker inspect");
    expectNoSecret(everyArgv(), needles, "the argv of the machine's processes");
    for (const c of [`${prefix}-web`, `${prefix}-worker`]) {
      const environ = await execIn(c, ["cat", "/proc/1/environ"]);
      expect(environ.code, environ.out).toBe(0);
      expect(environ.out).toMatch(/PATH=/);
      expectNoSecret(environ.out, needles, `${c}'s environment`);
    }
  }

  it("secret files: the content, owned by the service's uid, mode 0400, unreadable by another uid, never in env", async () => {
    const { values, files } = await revealed();
    expect(values.sessionKey).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(values.apiKey).toBe(apiKey);
    expect(files.map((f) => `${f.container} ${f.path}`).sort()).toEqual([
      `${prefix}-web /run/secrets/session-key`,
      `${prefix}-worker /run/secrets/api-key`,
    ]);
    for (const f of files) {
      const content = await execIn(f.container, ["cat", f.path]);
      expect(content.code, content.out).toBe(0);
      expect(content.out, `${f.container}:${f.path} holds its secret`).toBe(values[f.secret]);
      // Owner uid:gid and mode (the image's busybox has ls, not stat).
      expect((await execIn(f.container, ["ls", "-ln", f.path])).out).toMatch(/^-r-------- +1 10001 +10001 /);
      const other = await execIn(f.container, ["cat", f.path], "10002:10002");
      expect(other.code).not.toBe(0);
      expect(other.out).toMatch(/Permission denied/);
      // The mount is read-only, even for the owner.
      expect((await execIn(f.container, ["sh", "-c", `echo x > ${f.path}`])).code).not.toBe(0);
      const c = JSON.parse(await docker(["inspect", "--type", "container", f.container]))[0] as {
        Mounts: { Destination: string; RW: boolean; Type: string }[];
      };
      expect(c.Mounts.find((m) => m.Destination === "/run/secrets")).toMatchObject({
        Type: "volume",
        RW: false,
      });
    }
    await expectNoLeak([values.apiKey, values.sessionKey]);
  }, 120_000);

  it("rotating the session key replaces only the web front, which reads the new value", async () => {
    const before = await revealed();
    const ids = async () => ({
      web: await docker(["inspect", "--format", "{{.Id}}", `${prefix}-web`]),
      worker: await docker(["inspect", "--format", "{{.Id}}", `${prefix}-worker`]),
    });
    const idsBefore = await ids();
    await ws.pulumiOk(["config", "set", "--stack", STACK, "sessionKeyVersion", "2"], dir);
    const result = await engine(["up", "--yes", "--skip-preview", "--policy-pack", POLICY_PACK]);
    const after = await revealed();
    const idsAfter = await ids();
    expect(after.values.sessionKey).not.toBe(before.values.sessionKey);
    expect(after.values.apiKey).toBe(before.values.apiKey);
    expect(idsAfter.web, "the session key's consumer is replaced").not.toBe(idsBefore.web);
    expect(idsAfter.worker, "the worker does not mount the session key").toBe(idsBefore.worker);
    expect(result.output).toMatch(/\+-3 replaced/);
    const web = `${prefix}-web`;
    expect((await execIn(web, ["cat", "/run/secrets/session-key"])).out).toBe(after.values.sessionKey);
    expect((await execIn(web, ["ls", "-ln", "/run/secrets/session-key"])).out).toMatch(
      /^-r-------- +1 10001 +10001 /,
    );
    await expectNoLeak([before.values.sessionKey, after.values.sessionKey, after.values.apiKey]);
  }, 240_000);

  it("destroy leaves no container, network or volume behind", async () => {
    const result = await engine(["destroy", "--yes", "--skip-preview"]);
    deployed = false;
    expect(result.output).toMatch(/- 60 deleted/);
    expect(await leftovers(prefix)).toEqual({ containers: [], networks: [], volumes: [] });
    // The encrypted volume is unmounted and its directory removed.
    expect(readFileSync("/proc/self/mountinfo", "utf8")).not.toContain(`${prefix}-worker-state`);
    expect(existsSync(`/var/lib/shipshape/volumes/${prefix}-worker-state`)).toBe(false);
    expectNoSecret(result.output, [apiKey], "destroy output");
  }, 240_000);
});
