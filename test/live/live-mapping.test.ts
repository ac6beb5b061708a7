import { describe, expect, it } from "vitest";
import {
  auditEngine,
  dockerdFlagsToSettings,
  EngineUnreachableError,
  engineDaemonConfig,
  isLiveCisControl,
  liveAuditRules,
  parseEngineAddress,
} from "../../src/live";
import { defineRule, PlatformScope } from "../../src/rules/rule";
import { cliInProcess } from "../cli/helpers";

describe("engine addresses", () => {
  it("reads unix, tcp and ssh addresses and DOCKER_HOST", () => {
    expect(parseEngineAddress("unix:///tmp/d.sock", {}).options).toEqual({ socketPath: "/tmp/d.sock" });
    expect(parseEngineAddress("/run/docker.sock", {}).socketPath).toBe("/run/docker.sock");
    expect(parseEngineAddress(undefined, {}).socketPath).toBe("/var/run/docker.sock");
    expect(parseEngineAddress(undefined, { DOCKER_HOST: "tcp://10.0.0.5:2375" }).options).toEqual({
      host: "10.0.0.5",
      port: "2375",
      protocol: "http",
    });
    expect(parseEngineAddress("tcp://engine:2376", {}).options.protocol).toBe("https");
    expect(parseEngineAddress("ssh://ops@engine", {}).options).toMatchObject({
      protocol: "ssh",
      username: "ops",
    });
    expect(() => parseEngineAddress("ftp://x", {})).toThrow(/unsupported scheme ftp:/);
  });

  it("fails with a clear message when the engine is unreachable", async () => {
    const error = await auditEngine({ host: "unix:///nonexistent/docker.sock", timeoutMs: 2000 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(EngineUnreachableError);
    expect(error.message).toMatch(/cannot reach the Docker engine at unix:\/\/\/nonexistent\/docker.sock/);
    expect(error.message).toMatch(/--host/);
  });

  it("shipshape audit --docker exits 2 with the message when the engine is unreachable", () => {
    const r = cliInProcess(["audit", "--docker", "--host", "unix:///nonexistent/docker.sock"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: cannot reach the Docker engine at unix:\/\/\/nonexistent\/docker.sock/);
    expect(cliInProcess(["audit", "--docker", "some-file.yaml"]).code).toBe(2);
  });
});

describe("dockerd command line", () => {
  it("reads flags into daemon.json's shape", () => {
    const settings = dockerdFlagsToSettings([
      "-H",
      "unix:///tmp/a.sock",
      "--host=tcp://0.0.0.0:2376",
      "--icc=false",
      "--live-restore",
      "--userland-proxy=false",
      "--log-opt",
      "max-size=10m",
      "--log-opt=max-file=3",
      "--default-ulimit",
      "nofile=1024:4096",
      "--insecure-registry",
      "registry.local:5000",
      "--userns-remap=default",
      "--config-file",
      "/tmp/daemon.json",
    ]);
    expect(settings).toEqual({
      hosts: ["unix:///tmp/a.sock", "tcp://0.0.0.0:2376"],
      icc: false,
      "live-restore": true,
      "userland-proxy": false,
      "log-opts": { "max-size": "10m", "max-file": "3" },
      "default-ulimits": { nofile: { Name: "nofile", Soft: 1024, Hard: 4096 } },
      "insecure-registries": ["registry.local:5000"],
      "userns-remap": "default",
      "config-file": "/tmp/daemon.json",
    });
  });
});

describe("live daemon configuration", () => {
  const info = {
    Name: "host1",
    SecurityOptions: ["name=seccomp,profile=default", "name=userns"],
    LiveRestoreEnabled: true,
    LoggingDriver: "journald",
    ExperimentalBuild: false,
    Driver: "overlay2",
    Plugins: { Authorization: ["authz"] },
    RegistryConfig: {
      InsecureRegistryCIDRs: ["127.0.0.0/8", "10.1.0.0/16"],
      IndexConfigs: {
        "docker.io": { Name: "docker.io", Secure: true },
        "reg.local:5000": { Name: "reg.local:5000", Secure: false },
      },
    },
  };

  it("takes what info shows as the truth and leaves unseen settings unknown", () => {
    const d = engineDaemonConfig("host1", info, undefined);
    expect(d.origin).toMatchObject({ format: "docker-engine", file: "docker://host1/daemon" });
    expect(d.usernsRemap).toBe("default");
    expect(d.liveRestore).toBe(true);
    expect(d.logDriver).toBe("journald");
    expect(d.authorizationPlugins).toEqual(["authz"]);
    // The loopback default is not an insecure registry the user chose.
    expect(d.insecureRegistries).toEqual(["10.1.0.0/16", "reg.local:5000"]);
    expect(d.rootless).toBe(false);
    expect(engineDaemonConfig("host1", { ...info, Debug: true }, undefined).settings.debug).toBe(true);
    expect([...(d.unknown ?? [])]).toEqual(
      expect.arrayContaining(["icc", "userlandProxy", "noNewPrivileges"]),
    );
  });

  it("reads the rest from the settings and lets the default bridge decide icc", () => {
    const d = engineDaemonConfig(
      "host1",
      { ...info, SecurityOptions: [] },
      { settings: { icc: true, "no-new-privileges": true, "userland-proxy": false }, description: "test" },
      false,
    );
    expect(d.unknown).toBeUndefined();
    expect(d.icc).toBe(false);
    expect(d.noNewPrivileges).toBe(true);
    expect(d.userlandProxy).toBe(false);
    expect(d.usernsRemap).toBeUndefined();
    // No seccomp in info: the engine runs containers unconfined.
    expect(d.seccompProfile).toBe("unconfined");
  });
});

describe("live rule selection", () => {
  const rule = (id: string, cis?: string[]) =>
    defineRule({
      id,
      title: id,
      severity: "low",
      rationale: "r",
      remediation: "r",
      references: cis ? { cis } : {},
      targets: ["workload"],
      platforms: PlatformScope.Docker,
      check: () => [],
    });

  it("keeps CIS section 2 and 5 rules and the image checks inspect data answers", () => {
    expect(["2.2", "5.31", "4.1", "4.6"].every(isLiveCisControl)).toBe(true);
    expect(["4.9", "1.1", "3.5", "20.1"].some(isLiveCisControl)).toBe(false);
    const catalog = [
      rule("a", ["2.2"]),
      rule("b", ["5.4"]),
      rule("c", ["4.9"]),
      rule("d"),
      rule("e", ["4.1"]),
    ];
    expect(liveAuditRules(catalog).map((r) => r.id)).toEqual(["a", "b", "e"]);
  });
});
