import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { secureDaemonConfig } from "../../src/daemon-config";
import type { Finding } from "../../src/engine/finding";
import { auditEngine } from "../../src/live";
import {
  describeDocker,
  docker,
  importBusybox,
  requireEngine,
  type ScratchDaemon,
  startScratchDaemon,
} from "./engine-helpers";

/** Section 2 recommendations the generated daemon.json fixes (each is insecure by Docker's default). */
const FIXED_BY_CONFIG = ["2.2", "2.8", "2.9", "2.14", "2.15", "2.16"];

const cisOf = (findings: readonly Finding[]) => new Set(findings.flatMap((f) => f.references.cis ?? []));

describeDocker("a dockerd started with the generated daemon.json", () => {
  let hardened: ScratchDaemon | undefined;
  let plain: ScratchDaemon | undefined;

  beforeAll(async () => {
    await requireEngine();
    // Two scratch engines, never the main one: the generated config, and an empty one (all defaults).
    [hardened, plain] = await Promise.all([
      startScratchDaemon(secureDaemonConfig().config),
      startScratchDaemon({}),
    ]);
  });
  afterAll(async () => {
    await Promise.all([hardened?.stop(), plain?.stop()]);
  });

  it("starts, and docker info shows the settings in effect", async () => {
    const info = JSON.parse(await docker(hardened!.socket, ["info", "--format", "{{json .}}"]));
    expect(info.SecurityOptions).toEqual(
      expect.arrayContaining(["name=userns", "name=seccomp,profile=default"]),
    );
    expect(info.LiveRestoreEnabled).toBe(true);
    expect(info.LoggingDriver).toBe("json-file");
    expect(info.ExperimentalBuild).toBe(false);
    expect(info.RegistryConfig.InsecureRegistryCIDRs).toEqual(["127.0.0.0/8"]);
    // With user-namespace remapping the engine keeps its state under <data-root>/<uid>.<gid>.
    expect(info.DockerRootDir).toMatch(/\/data\/\d+\.\d+$/);

    const defaults = JSON.parse(await docker(plain!.socket, ["info", "--format", "{{json .}}"]));
    expect(defaults.SecurityOptions).not.toContain("name=userns");
    expect(defaults.LiveRestoreEnabled).toBe(false);
  });

  it("gives its containers no-new-privileges, the default ulimits and a remapped root", async () => {
    await importBusybox(hardened!.socket, "shipshape-test/busybox:1");
    const out = await docker(hardened!.socket, [
      "run",
      "--rm",
      "--network",
      "none",
      "shipshape-test/busybox:1",
      "sh",
      "-c",
      "grep NoNewPrivs /proc/self/status; ulimit -n; ulimit -Hn; cat /proc/self/uid_map",
    ]);
    const [nnp, soft, hard, uidMap] = out.split("\n").map((l) => l.trim());
    expect(nnp).toMatch(/^NoNewPrivs:\s+1$/);
    expect(soft).toBe("1024");
    expect(hard).toBe("4096");
    // Container root (0) is an unprivileged host uid.
    const [inside, outside] = (uidMap ?? "").split(/\s+/).map(Number);
    expect(inside).toBe(0);
    expect(outside).toBeGreaterThan(0);
  });

  it("the live audit reports none of the section 2 findings the config fixes; a default daemon has them all", async () => {
    const good = await auditEngine({ host: `unix://${hardened!.socket}` });
    const bad = await auditEngine({ host: `unix://${plain!.socket}` });
    // The settings came from the dockerd found serving the socket and its --config-file.
    for (const result of [good, bad]) {
      expect(result.snapshot.notes).toEqual([]);
      expect(result.snapshot.daemon.unknown ?? new Set()).toEqual(new Set());
      expect(result.snapshot.daemon.origin.format).toBe("docker-engine");
    }
    const goodCis = cisOf(good.findings);
    const badCis = cisOf(bad.findings);
    for (const cis of FIXED_BY_CONFIG) {
      expect(badCis.has(cis), `default daemon should be reported for CIS ${cis}`).toBe(true);
      expect(goodCis.has(cis), `hardened daemon should not be reported for CIS ${cis}`).toBe(false);
    }
    // Nothing is written in the empty daemon.json: findings point at the engine itself.
    for (const f of bad.findings) expect(f.file).toMatch(/^docker:\/\/[^/]+\/daemon$/);
    // A setting written in daemon.json is located at its line there (json-file is local logging, CIS 2.13).
    const text = readFileSync(hardened!.configFile, "utf8");
    const line = text.split("\n").findIndex((l) => l.includes('"log-driver"')) + 1;
    expect(good.findings.find((f) => f.ruleId === "daemon-remote-logging")).toMatchObject({
      file: hardened!.configFile,
      line,
      column: 3,
    });
  });
});
