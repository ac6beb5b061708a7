import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { secureDaemonConfig } from "../../src/daemon-config";
import { cliInProcess } from "../cli/helpers";

describe("shipshape daemon-config", () => {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-daemon-config-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the hardened daemon.json on standard output and nothing else", () => {
    const r = cliInProcess(["daemon-config"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual(secureDaemonConfig().config);
  });

  it("maps the seed options", () => {
    const r = cliInProcess([
      "daemon-config",
      "--no-user-remap",
      "--no-live-restore",
      "--experimental",
      "--enable-content-trust",
      "--log-max-size",
      "50m",
      "--authorization-plugin",
      "authz-broker",
    ]);
    expect(r.code).toBe(0);
    const config = JSON.parse(r.stdout);
    expect(config).not.toHaveProperty("userns-remap");
    expect(config["live-restore"]).toBe(false);
    expect(config.experimental).toBe(true);
    expect(config["log-opts"]["max-size"]).toBe("50m");
    expect(config["authorization-plugins"]).toEqual(["authz-broker"]);
    expect(r.stderr).toContain("DOCKER_CONTENT_TRUST=1");
    expect(
      JSON.parse(cliInProcess(["daemon-config", "--user-remap", "builder"]).stdout)["userns-remap"],
    ).toBe("builder");
    expect(JSON.parse(cliInProcess(["daemon-config", "--user-remap"]).stdout)["userns-remap"]).toBe(
      "default",
    );
  });

  it("writes --out and explains every setting on standard output", () => {
    const out = join(dir, "daemon.json");
    const r = cliInProcess(["daemon-config", "--out", out, "--explain"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8"))).toEqual(secureDaemonConfig().config);
    for (const key of Object.keys(secureDaemonConfig().config)) expect(r.stdout).toContain(`${key} = `);
    expect(r.stdout).toContain("[CIS 2.16]");
  });

  it("keeps standard output pure JSON when explaining without --out", () => {
    const r = cliInProcess(["daemon-config", "--explain"]);
    expect(JSON.parse(r.stdout)).toEqual(secureDaemonConfig().config);
    expect(r.stderr).toContain("userland-proxy = false");
  });

  it("exits 2 naming the bad option", () => {
    const r = cliInProcess(["daemon-config", "--seccomp-profile", "unconfined"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/seccompProfile: "unconfined"/);
    expect(r.stdout).toBe("");
    expect(cliInProcess(["daemon-config", "--log-max-files", "many"]).code).toBe(2);
  });
});
