import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit";
import { dockerRules } from "../../../src/rules/docker";
import { loadDaemonJson } from "../../../src/sources/daemon-json-file";
import { FIXTURES, findingsAt, loadFixture } from "./fixtures";

const daemonRules = dockerRules.filter((r) => r.targets.includes("daemon"));

describe("daemon rules on daemon.json fixtures", () => {
  it("find each violation of bad.json at its key's line", () => {
    expect(findingsAt(loadFixture("daemon/bad.json", loadDaemonJson), daemonRules)).toEqual([
      // No key at all: reported on the object's first line.
      "daemon-authorization-plugin@1",
      "daemon-default-ulimits@1",
      "daemon-userns-remap@1",
      "daemon-icc@2",
      "daemon-log-level@3",
      "daemon-iptables@4",
      "daemon-insecure-registries@5",
      "daemon-aufs-storage-driver@6",
      "daemon-base-device-size@7",
      "daemon-tcp-tls@8",
      "daemon-cgroup-parent@9",
      "daemon-remote-logging@10",
      "daemon-no-new-privileges@11",
      "daemon-live-restore@12",
      "daemon-userland-proxy@13",
      "daemon-seccomp-profile@14",
      "daemon-experimental@15",
    ]);
  });

  it("find nothing in good.json (TCP socket with mutual TLS, remote syslog)", () => {
    expect(findingsAt(loadFixture("daemon/good.json", loadDaemonJson), daemonRules)).toEqual([]);
  });

  it("fix icc, live-restore, userland-proxy and no-new-privileges in place", () => {
    const text = readFileSync(join(FIXTURES, "daemon/bad.json"), "utf8");
    const source = loadDaemonJson("bad.json", text);
    const findings = audit(source.resources, { rules: daemonRules });
    expect(findings.filter((f) => f.fix).map((f) => f.ruleId)).toEqual([
      "daemon-icc",
      "daemon-no-new-privileges",
      "daemon-live-restore",
      "daemon-userland-proxy",
    ]);
    const fixed = source.applyFixes?.(findings, 0);
    expect(fixed).toBeDefined();
    const settings = JSON.parse(fixed ?? "{}") as Record<string, unknown>;
    expect(settings).toMatchObject({
      icc: false,
      "live-restore": true,
      "userland-proxy": false,
      "no-new-privileges": true,
      // Settings without a safe automatic fix are left as they were.
      experimental: true,
    });
    const after = audit(loadDaemonJson("bad.json", fixed ?? "").resources, { rules: daemonRules }).map(
      (f) => f.ruleId,
    );
    expect(after).not.toContain("daemon-icc");
    expect(after).not.toContain("daemon-live-restore");
    expect(after).toContain("daemon-experimental");
  });
});
