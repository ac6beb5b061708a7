/**
 * `shipshape profile create|apply` (the real CLI): create writes the profile RuntimeProfile makes,
 * under the name given; apply recreates a container on the real engine with the seccomp profile,
 * keeping its configuration and its anonymous volume's data, and the profile is enforced (a
 * denied syscall fails inside); refusals leave the container as it was.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appArmorProfile } from "../../src/components/runtime-profile/apparmor";
import { seccompProfileJson } from "../../src/components/runtime-profile/seccomp";
import { AppType, ProfileTemplate } from "../../src/components/runtime-profile/syscalls";
import { describeDocker, docker, importBusybox, requireEngine, uniqueName } from "../live/engine-helpers";
import { ROOT } from "../watch/watch-helpers";

const run = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(
      process.execPath,
      ["--import", "tsx", join(ROOT, "src", "cli", "main.ts"), "profile", ...args],
      {
        cwd: ROOT,
      },
    );
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

const inspect = async (name: string) =>
  JSON.parse(await docker(undefined, ["inspect", "--type", "container", name]))[0] as {
    Id: string;
    State: { Running: boolean };
    Config: { Env: string[]; Labels: Record<string, string>; User: string; Cmd: string[] };
    HostConfig: { SecurityOpt: string[] | null; Memory: number; RestartPolicy: { Name: string } };
    NetworkSettings: { Networks: Record<string, { Aliases: string[] | null }> };
    Mounts: { Type: string; Name?: string; Destination: string }[];
  };

/** Whether a process in the container can listen on a port (busybox nc). */
const listens = async (container: string) =>
  (
    await docker(undefined, [
      "exec",
      container,
      "/bin/sh",
      "-c",
      "nc -l -p 18099 2>/dev/null & p=$!; sleep 1; kill $p 2>/dev/null && echo listening || echo refused",
    ])
  ).trim();

describeDocker("shipshape profile", () => {
  const id = uniqueName("ss21-prof");
  const tag = `${id}-busybox:1`;
  const net = `${id}-net`;
  const app = `${id}-app`;
  const removed = `${id}-rm`;
  let dir: string;

  beforeAll(async () => {
    await requireEngine();
    dir = mkdtempSync(join(tmpdir(), `${id}-`));
    await importBusybox(undefined, tag);
    await docker(undefined, ["network", "create", net]);
    await docker(undefined, [
      "run",
      "-d",
      "--name",
      app,
      "--network",
      net,
      "--network-alias",
      "api",
      "--user",
      "10001:10001",
      "-e",
      "MODE=prod",
      "--label",
      "team=payments",
      "--memory",
      "64m",
      "--restart",
      "on-failure:3",
      "-v",
      "/data",
      tag,
      "/bin/sh",
      "-c",
      "echo kept > /data/marker 2>/dev/null; sleep 3600",
    ]);
  }, 120_000);

  afterAll(async () => {
    await docker(undefined, ["rm", "-f", app, removed]).catch(() => undefined);
    await docker(undefined, ["network", "rm", net]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it("create writes the profile RuntimeProfile makes, under the name given", async () => {
    const out = join(dir, "db.json");
    const r = await cli([
      "create",
      "--type",
      "seccomp",
      "--profile",
      "db",
      "--app-type",
      "db",
      "--template",
      "strict",
      "--out",
      out,
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(
      JSON.parse(seccompProfileJson(AppType.Database, ProfileTemplate.Strict)),
    );
    const aa = await cli([
      "create",
      "--type",
      "apparmor",
      "--profile",
      "web-front",
      "--app-type",
      "web",
      "--out",
      "-",
    ]);
    expect(aa.code).toBe(0);
    expect(aa.stdout).toContain("profile web-front flags=(attach_disconnected,mediate_deleted) {");
    expect(aa.stdout.replace("profile web-front ", "profile shipshape-web-default ")).toBe(
      appArmorProfile(AppType.Web, ProfileTemplate.Default),
    );
    const bad = await cli(["create", "--app-type", "cache"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /option '--app-type' "cache" is not an application type; give one of web, worker, database/,
    );
  }, 60_000);

  it("apply recreates the container with the profile, keeping its configuration and its volume's data", async () => {
    const before = await inspect(app);
    expect(await listens(app)).toBe("listening");
    // Data in the anonymous volume, which a plain recreate would lose.
    await docker(undefined, ["exec", "-u", "0", app, "/bin/sh", "-c", "echo kept > /data/marker"]);
    const r = await cli(["apply", "--container", app, "--app-type", "worker", "--template", "strict"]);
    expect(r.stderr + r.stdout).toContain(`profile: ${app} recreated with the seccomp profile`);
    expect(r.code).toBe(0);
    const after = await inspect(app);
    expect(after.Id).not.toBe(before.Id);
    expect(after.State.Running).toBe(true);
    expect(after.HostConfig.SecurityOpt).toContain("no-new-privileges:true");
    const seccomp = (after.HostConfig.SecurityOpt ?? []).find((o) => o.startsWith("seccomp="));
    expect(JSON.parse((seccomp ?? "").slice("seccomp=".length))).toEqual(
      JSON.parse(seccompProfileJson(AppType.Worker, ProfileTemplate.Strict)),
    );
    expect(after.Config.Env).toContain("MODE=prod");
    expect(after.Config.Labels.team).toBe("payments");
    expect(after.Config.User).toBe("10001:10001");
    expect(after.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(after.HostConfig.RestartPolicy.Name).toBe("on-failure");
    expect(after.NetworkSettings.Networks[net]?.Aliases).toContain("api");
    const volume = (m: typeof before.Mounts) => m.find((x) => x.Destination === "/data")?.Name;
    expect(volume(after.Mounts)).toBe(volume(before.Mounts));
    expect((await docker(undefined, ["exec", app, "/bin/cat", "/data/marker"])).trim()).toBe("kept");
    // Enforced: a worker needs no listening socket, and its profile denies bind, which the
    // engine's default profile allowed before.
    expect(await listens(app)).toBe("refused");
    expect(
      (
        await docker(undefined, [
          "ps",
          "-a",
          "--filter",
          `name=${app}-shipshape-old`,
          "--format",
          "{{.Names}}",
        ])
      ).trim(),
    ).toBe("");
  }, 120_000);

  it("refuses, leaving the container as it was: --rm, AppArmor without the kernel's, no such container", async () => {
    await docker(undefined, [
      "run",
      "-d",
      "--rm",
      "--network",
      "none",
      "--name",
      removed,
      tag,
      "/bin/sleep",
      "600",
    ]);
    const before = await inspect(removed);
    const rm = await cli(["apply", "--container", removed]);
    expect(rm.code).toBe(2);
    expect(rm.stderr).toMatch(/was started with --rm: stopping it would remove it/);
    expect((await inspect(removed)).Id).toBe(before.Id);
    const aa = await cli(["apply", "--container", app, "--type", "apparmor"]);
    expect(aa.code).toBe(2);
    expect(aa.stderr).toMatch(/apparmor/i);
    const none = await cli(["apply", "--container", `${id}-nope`]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`no container named ${id}-nope on this engine`);
  }, 120_000);
});
