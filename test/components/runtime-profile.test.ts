import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type * as pulumi from "@pulumi/pulumi";
import { afterAll, describe, expect, it } from "vitest";
import {
  ALWAYS_DENIED,
  AppType,
  allowedSyscalls,
  appArmorProfile,
  DENIED_SYSCALLS,
  ProfileTemplate,
  RuntimeProfile,
  seccompProfile,
  seccompProfileJson,
  syscallGroups,
} from "../../src/components";
import { runUnderMocks } from "../../src/program/mock-run";

const run = promisify(execFile);
const combos = Object.values(AppType).flatMap((a) =>
  Object.values(ProfileTemplate).map((t) => [a, t] as const),
);

describe("seccomp profiles", () => {
  it.each(combos)(
    "%s/%s denies by default with EPERM and never allows a dangerous syscall",
    (appType, template) => {
      const p = seccompProfile(appType, template);
      expect(p.defaultAction).toBe("SCMP_ACT_ERRNO");
      expect(p.defaultErrnoRet).toBe(1);
      const allowed = p.syscalls.filter((r) => r.action === "SCMP_ACT_ALLOW").flatMap((r) => r.names);
      for (const s of DENIED_SYSCALLS) expect(allowed, s).not.toContain(s);
      for (const s of ["unshare", "mount", "keyctl", "ptrace", "bpf", "setns", "init_module"])
        expect(allowed).not.toContain(s);
      // clone only without namespace flags; clone3 falls back to clone.
      const clone = p.syscalls.find((r) => r.names.includes("clone"));
      expect(clone?.args?.[0]).toMatchObject({ index: 0, op: "SCMP_CMP_MASKED_EQ", valueTwo: 0 });
      expect(p.syscalls.find((r) => r.names.includes("clone3"))).toMatchObject({
        action: "SCMP_ACT_ERRNO",
        errnoRet: 38,
      });
      expect(JSON.parse(seccompProfileJson(appType, template))).toEqual(p);
    },
  );

  it("templates nest: strict ⊂ default ⊂ permissive, for every application type", () => {
    for (const appType of Object.values(AppType)) {
      const strict = new Set(allowedSyscalls(appType, ProfileTemplate.Strict));
      const normal = new Set(allowedSyscalls(appType, ProfileTemplate.Default));
      const permissive = new Set(allowedSyscalls(appType, ProfileTemplate.Permissive));
      for (const s of strict) expect(normal.has(s)).toBe(true);
      for (const s of normal) expect(permissive.has(s)).toBe(true);
      expect(normal.size).toBeGreaterThan(strict.size);
      expect(permissive.size).toBeGreaterThan(normal.size);
    }
  });

  it("tailors the allow-list to the application type", () => {
    expect(allowedSyscalls(AppType.Web, ProfileTemplate.Strict)).toContain("listen");
    expect(allowedSyscalls(AppType.Worker, ProfileTemplate.Strict)).not.toContain("listen");
    expect(allowedSyscalls(AppType.Database, ProfileTemplate.Strict)).toContain("fallocate");
    expect(allowedSyscalls(AppType.Web, ProfileTemplate.Strict)).not.toContain("fallocate");
    expect(allowedSyscalls(AppType.Web, ProfileTemplate.Strict)).not.toContain("chown");
  });

  it("documents every group it allows", () => {
    for (const [a, t] of combos) {
      for (const g of syscallGroups(a, t)) expect(g.rationale.length).toBeGreaterThan(40);
    }
    expect(ALWAYS_DENIED.rationale).toMatch(/namespaces/);
  });
});

describe("AppArmor profiles", () => {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-apparmor-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function parses(text: string): Promise<boolean> {
    const file = join(dir, `p${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, text);
    try {
      // -Q: compile without loading into the kernel (this host's kernel has no AppArmor).
      await run("apparmor_parser", ["-Q", "-K", file]);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT")
        throw new Error("apparmor_parser not found: apt-get install apparmor (run scripts/setup.sh)");
      return false;
    }
  }

  it("apparmor_parser rejects a broken profile (the check is live)", async () => {
    expect(await parses("profile broken {\n  this is not a rule,\n}\n")).toBe(false);
  });

  it.each(combos)(
    "%s/%s compiles with apparmor_parser and denies mount and ptrace",
    async (appType, template) => {
      const text = appArmorProfile(appType, template);
      expect(text).toContain(`profile shipshape-${appType}-${template}`);
      expect(text).toMatch(/deny mount,/);
      expect(text).toMatch(/deny ptrace,/);
      expect(await parses(text)).toBe(true);
    },
  );
});

/** The value of an Output (the SDK's own promise of it). */
function resolved<T>(output: pulumi.Output<T> | undefined): Promise<T | undefined> {
  return output ? (output as unknown as { promise(): Promise<T> }).promise() : Promise.resolve(undefined);
}

describe("RuntimeProfile component", () => {
  it("gives Docker the profile content and Kubernetes a Localhost path, publishing a ConfigMap on Kubernetes", async () => {
    let profile: RuntimeProfile | undefined;
    const registered = await runUnderMocks(() => {
      profile = new RuntimeProfile("api", {
        appType: AppType.Web,
        template: ProfileTemplate.Strict,
        kubernetes: { namespace: "shop" },
      });
    });
    expect(await resolved(profile?.dockerSecurityOpts)).toContain(
      `seccomp=${seccompProfileJson(AppType.Web, ProfileTemplate.Strict)}`,
    );
    expect(await resolved(profile?.localhostProfile)).toBe("shipshape/shipshape-web-strict.json");
    expect(await resolved(profile?.configMapName)).toBe("api-profiles");
    expect(registered.map((r) => r.type)).toEqual([
      "shipshape:index:RuntimeProfile",
      "kubernetes:core/v1:ConfigMap",
    ]);
    const data = (registered[1]?.inputs as { data?: Record<string, string> } | undefined)?.data ?? {};
    expect(JSON.parse(data["shipshape-web-strict.json"] ?? "")).toEqual(
      seccompProfile(AppType.Web, ProfileTemplate.Strict),
    );
  });

  it("rejects an unknown template before registering anything", async () => {
    let error: Error | undefined;
    const registered = await runUnderMocks(() => {
      try {
        new RuntimeProfile("x", { template: "unconfined" as ProfileTemplate });
      } catch (e) {
        error = e as Error;
      }
    });
    expect(registered).toEqual([]);
    expect(error?.message).toMatch(
      /template: template must be one of strict, default, permissive \(got "unconfined"\)/,
    );
  });
});
