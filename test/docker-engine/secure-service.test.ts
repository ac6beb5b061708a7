/**
 * SecureService on a real Docker engine: the containers are created from exactly the inputs the
 * component hands to @pulumi/docker (captured under mocks), and the hardening is checked from
 * inside the running container, with `docker inspect` and with the cgroup files.
 */
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AppType, ProfileTemplate, SecureService } from "../../src/components";
import { type CapturedResource, runUnderMocks } from "../../src/program/mock-run";
import { describeDocker, requireEngine, SKIP_DOCKER } from "../live/engine-helpers";
import { deploy, destroy } from "./engine-adapter";
import { buildProbeImage, execIn, removeProbeImage, runOnce } from "./probe-image";

const EPERM = "errno=1";
const EACCES = "errno=13";
const EROFS = "errno=30";
const suffix = `${process.pid}`;
const engine = new Docker();
const made: { containers: string[]; networks: string[] }[] = [];
let available = false;
let image = "";

async function deployService(
  name: string,
  template: ProfileTemplate,
  appType: AppType,
): Promise<{ id: string; captured: CapturedResource[] }> {
  const captured = await runUnderMocks(() => {
    new SecureService(name, {
      docker: {},
      image,
      command: ["/bin/sleep", "3600"],
      ports: [
        {
          containerPort: 8080,
          hostPort: (template === ProfileTemplate.Strict ? 18000 : 19000) + (process.pid % 1000),
        },
      ],
      healthCheck: {
        command: ["/bin/true"],
        intervalSeconds: 1,
        timeoutSeconds: 2,
        retries: 3,
        startPeriodSeconds: 0,
      },
      resources: { cpu: "250m", memory: "96Mi", pids: 64 },
      user: "10001:10001",
      writablePaths: ["/tmp", "/data"],
      writablePathSize: "8Mi",
      runtimeProfile: { appType, template },
    });
  });
  const result = await deploy(engine, captured);
  made.push(result);
  const id = result.containers[0];
  if (!id) throw new Error("no container was deployed");
  return { id, captured };
}

let strict = "";
let standard = "";

beforeAll(async () => {
  if (SKIP_DOCKER) return;
  await requireEngine(); // fails loudly, saying how to get the engine
  available = true;
  image = await buildProbeImage();
  strict = (await deployService(`probe-strict-${suffix}`, ProfileTemplate.Strict, AppType.Worker)).id;
  standard = (await deployService(`probe-default-${suffix}`, ProfileTemplate.Default, AppType.Web)).id;
});

afterAll(async () => {
  for (const m of made) await destroy(engine, m);
  if (available) await removeProbeImage();
});

// Skipped only through the explicit opt-out SHIPSHAPE_SKIP_DOCKER=1 (never set in CI).
describeDocker("SecureService on a real Docker engine", () => {
  it("runs as the declared non-root uid", async () => {
    expect((await execIn(strict, ["/bin/probe", "uid"])).stdout).toBe("10001:10001");
    expect((await execIn(standard, ["/bin/id", "-u"])).stdout).toBe("10001");
    const info = await engine.getContainer(strict).inspect();
    expect(info.Config.User).toBe("10001:10001");
  });

  it("cannot write outside its tmpfs paths, and cannot execute from them", async () => {
    for (const path of ["/etc/x", "/bin/x", "/x"]) {
      expect((await execIn(standard, ["/bin/probe", "write", path])).stdout).toBe(EROFS);
    }
    expect((await execIn(standard, ["/bin/probe", "write", "/tmp/ok"])).stdout).toBe("ok");
    expect((await execIn(standard, ["/bin/probe", "write", "/data/ok"])).stdout).toBe("ok");
    // noexec: a copy of a binary on the tmpfs does not run.
    await execIn(standard, ["/bin/cp", "/bin/busybox", "/tmp/bb"]);
    const ran = await execIn(standard, ["/tmp/bb", "true"]);
    expect(ran.code).not.toBe(0);
    const mounts = (await execIn(standard, ["/bin/cat", "/proc/mounts"])).stdout;
    const tmp = mounts.split("\n").find((l) => l.split(" ")[1] === "/tmp") ?? "";
    expect(tmp).toMatch(/tmpfs/);
    for (const opt of ["nosuid", "nodev", "noexec"]) expect(tmp).toContain(opt);
  });

  it("cannot chown or bind a port below 1024 without the capability", async () => {
    expect((await execIn(standard, ["/bin/probe", "write", "/tmp/owned"])).stdout).toBe("ok");
    // Control: chown to its own uid is allowed by the profile, so the refusal below is the capability.
    expect((await execIn(standard, ["/bin/probe", "chown", "/tmp/owned", "10001"])).stdout).toBe("ok");
    expect((await execIn(standard, ["/bin/probe", "chown", "/tmp/owned", "0"])).stdout).toBe(EPERM);
    expect((await execIn(standard, ["/bin/probe", "bind", "8080"])).stdout).toBe("ok");
    expect((await execIn(standard, ["/bin/probe", "bind", "80"])).stdout).toBe(EACCES);
    const status = (await execIn(standard, ["/bin/cat", "/proc/self/status"])).stdout;
    for (const field of ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"]) {
      expect(status).toMatch(new RegExp(`${field}:\\s+0000000000000000`));
    }
    expect(status).toMatch(/NoNewPrivs:\s+1/);
    expect(status).toMatch(/Seccomp:\s+2/);
  });

  it("gets EPERM for the syscalls the strict profile blocks, which run without it", async () => {
    for (const op of ["unshare", "mount", "keyctl", "ptrace"]) {
      expect((await execIn(strict, ["/bin/probe", op])).stdout, op).toBe(EPERM);
    }
    // Strict has no chown at all: refused by the filter even for the caller's own uid.
    await execIn(strict, ["/bin/probe", "write", "/tmp/f"]);
    expect((await execIn(strict, ["/bin/probe", "chown", "/tmp/f", "10001"])).stdout).toBe(EPERM);
    // Controls: the same user without a seccomp filter can make these calls, so the EPERM above is the profile's.
    const unconfined = ["--user", "10001:10001", "--cap-drop", "ALL", "--security-opt", "seccomp=unconfined"];
    for (const op of ["unshare", "keyctl", "ptrace"]) {
      expect(await runOnce(unconfined, ["/bin/probe", op]), `${op} without the profile`).toBe("ok");
    }
  });

  it("has its limits in effect (docker inspect and cgroup files)", async () => {
    const info = await engine.getContainer(standard).inspect();
    const host = info.HostConfig;
    expect(host.Memory).toBe(96 * 1024 * 1024);
    expect(host.MemorySwap).toBe(96 * 1024 * 1024);
    expect(host.NanoCpus).toBe(250_000_000);
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.Privileged).toBe(false);
    expect(host.CapDrop).toEqual(["ALL"]);
    expect(host.SecurityOpt?.some((o: string) => o.startsWith("no-new-privileges"))).toBe(true);
    expect(
      host.SecurityOpt?.some((o: string) => o.startsWith("seccomp=") && o.includes("SCMP_ACT_ERRNO")),
    ).toBe(true);
    expect(host.RestartPolicy).toEqual({ Name: "on-failure", MaximumRetryCount: 5 });
    expect(host.LogConfig?.Config).toEqual({ "max-file": "3", "max-size": "10m" });
    expect(host.IpcMode).toBe("private");
    expect(host.PidMode ?? "").toBe("");
    expect(host.NetworkMode).toBe(`probe-default-${suffix}-net`);
    const binding = (Object.values(host.PortBindings ?? {}) as { HostIp: string }[][])[0]?.[0];
    expect(binding?.HostIp).toBe("127.0.0.1");
    expect(host.Ulimits).toContainEqual({ Name: "nproc", Soft: 64, Hard: 64 });

    const cgroup = async (v1: string, v2: string) => {
      const r = await execIn(standard, ["/bin/cat", v1]);
      return r.code === 0 ? r.stdout : (await execIn(standard, ["/bin/cat", v2])).stdout;
    };
    expect(await cgroup("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory.max")).toBe(
      String(96 * 1024 * 1024),
    );
    const quota = await cgroup("/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu.max");
    expect(quota.split(" ")[0]).toBe("25000");
    const limits = (await execIn(standard, ["/bin/cat", "/proc/self/limits"])).stdout;
    expect(limits).toMatch(/Max processes\s+64\s+64/);
    expect(limits).toMatch(/Max open files\s+4096\s+4096/);
  });

  it("reports healthy through its health check", async () => {
    let status = "";
    for (let i = 0; i < 120 && status !== "healthy"; i++) {
      status = (await engine.getContainer(standard).inspect()).State.Health?.Status ?? "";
      if (status !== "healthy") await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe("healthy");
  });
});
