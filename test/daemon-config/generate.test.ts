import { describe, expect, it } from "vitest";
import { daemonJsonText, explainDaemonConfig, secureDaemonConfig } from "../../src/daemon-config";

describe("secure daemon.json generator", () => {
  it("hardens every setting by default", () => {
    const { config, clientEnvironment } = secureDaemonConfig();
    expect(config).toMatchObject({
      icc: false,
      "userns-remap": "default",
      "no-new-privileges": true,
      "live-restore": true,
      "userland-proxy": false,
      "log-level": "info",
      "log-driver": "json-file",
      "log-opts": { "max-size": "10m", "max-file": "3" },
      "default-ulimits": { nofile: { Name: "nofile", Soft: 1024, Hard: 4096 } },
      "insecure-registries": [],
      experimental: false,
    });
    // The engine's built-in profile applies; "builtin" is not a value dockerd 20.10 accepts.
    expect(config).not.toHaveProperty("seccomp-profile");
    expect(clientEnvironment).toEqual({});
  });

  it("explains every key it writes, with the CIS recommendation", () => {
    const { config, explanations } = secureDaemonConfig({ authorizationPlugins: ["authz-broker"] });
    for (const key of Object.keys(config)) {
      const e = explanations.find((x) => x.key === key);
      expect(e, key).toBeDefined();
      expect(e?.why.length).toBeGreaterThan(20);
      expect(e?.cis.length).toBeGreaterThan(0);
    }
    const text = explainDaemonConfig(explanations);
    expect(text).toContain("icc = false [CIS 2.2]");
    expect(text).toContain('authorization-plugins = ["authz-broker"] [CIS 2.12]');
  });

  it("mirrors the seed options: user remap, seccomp, live restore, content trust, experimental", () => {
    const weakened = secureDaemonConfig({
      userRemap: false,
      seccomp: false,
      liveRestore: false,
      contentTrust: true,
      experimental: true,
    });
    expect(weakened.config).not.toHaveProperty("userns-remap");
    expect(weakened.config).not.toHaveProperty("seccomp-profile");
    expect(weakened.config["live-restore"]).toBe(false);
    expect(weakened.config.experimental).toBe(true);
    expect(weakened.clientEnvironment).toEqual({ DOCKER_CONTENT_TRUST: "1" });
    // Turning a protection off is recorded, not silent.
    expect(weakened.explanations.find((e) => e.key === "userns-remap")?.why).toMatch(/off on request/);
    expect(weakened.explanations.find((e) => e.key === "guidance:content-trust")?.value).toBe(
      "DOCKER_CONTENT_TRUST=1",
    );

    const custom = secureDaemonConfig({
      userRemap: "builder:builder",
      seccompProfile: "/etc/docker/seccomp.json",
    });
    expect(custom.config["userns-remap"]).toBe("builder:builder");
    expect(custom.config["seccomp-profile"]).toBe("/etc/docker/seccomp.json");
  });

  it("rejects options that would weaken or break the daemon, naming the option and the fix", () => {
    expect(() => secureDaemonConfig({ seccompProfile: "unconfined" })).toThrow(
      /seccompProfile: "unconfined" disables seccomp/,
    );
    expect(() => secureDaemonConfig({ seccomp: false, seccompProfile: "/p.json" })).toThrow(
      /conflicts with seccomp: false/,
    );
    expect(() => secureDaemonConfig({ seccompProfile: "relative.json" })).toThrow(/absolute path/);
    expect(() => secureDaemonConfig({ logMaxSize: "ten" })).toThrow(/logMaxSize: "ten" is not a size/);
    expect(() => secureDaemonConfig({ nofileSoft: 9000, nofileHard: 10 })).toThrow(
      /nofileSoft: 9000 exceeds nofileHard 10/,
    );
    expect(() => secureDaemonConfig({ userRemap: "bad user" })).toThrow(/userRemap: "bad user"/);
  });

  it("writes stable, parseable JSON", () => {
    const text = daemonJsonText(secureDaemonConfig().config);
    expect(text.endsWith("}\n")).toBe(true);
    expect(JSON.parse(text)).toEqual(secureDaemonConfig().config);
    expect(daemonJsonText(secureDaemonConfig().config)).toBe(text);
  });
});
