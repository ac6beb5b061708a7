import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AuditSeverity } from "../../src/components/daemon-audit";
import { HardenedDaemon } from "../../src/components/hardened-daemon";
import { daemonJsonText, secureDaemonConfig } from "../../src/daemon-config";

const registered: pulumi.runtime.MockResourceArgs[] = [];

function value<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

describe("HardenedDaemon component", () => {
  beforeAll(() => {
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push(args);
          return { id: `${args.name}-id`, state: { ...args.inputs, counts: { critical: 0 }, total: 0 } };
        },
        call: (args) => args.inputs,
      },
      "project",
      "stack",
      false,
    );
  });

  it("outputs the same daemon.json as the CLI, with explanations", async () => {
    const daemon = new HardenedDaemon("docker", {});
    expect(await value(daemon.daemonJson)).toBe(daemonJsonText(secureDaemonConfig().config));
    expect(await value(daemon.explanation)).toContain("userland-proxy = false [CIS 2.16]");
    expect(await value(daemon.auditCounts)).toBeUndefined();
    expect(registered.filter((r) => r.name.startsWith("docker-audit"))).toEqual([]);
  });

  it("mirrors the seed options", async () => {
    const daemon = new HardenedDaemon("weak", {
      userNamespaces: false,
      seccomp: false,
      liveRestore: false,
      contentTrust: true,
      experimental: true,
    });
    const config = JSON.parse(await value(daemon.daemonJson));
    expect(config).not.toHaveProperty("userns-remap");
    expect(config["live-restore"]).toBe(false);
    expect(config.experimental).toBe(true);
    expect(await value(daemon.clientEnvironment)).toEqual({ DOCKER_CONTENT_TRUST: "1" });
  });

  it("fails on bad args before registering anything, naming the field and the fix", () => {
    const before = registered.length;
    expect(() => new HardenedDaemon("bad", { seccompProfile: "unconfined" })).toThrow(
      /invalid HardenedDaemon "bad" args:.*seccompProfile: "unconfined"/s,
    );
    expect(() => new HardenedDaemon("bad2", { userNamespaces: false, userRemap: "builder" })).toThrow(
      /userRemap: userRemap names a remap user while userNamespaces is false; drop one of them \(got "builder"\)/,
    );
    expect(registered.length).toBe(before);
  });

  it("adds a DaemonAudit child with the audit settings", async () => {
    const daemon = new HardenedDaemon("audited", {
      audit: { host: "unix:///var/run/docker.sock", failOn: AuditSeverity.Critical, containers: ["web"] },
    });
    expect(await value(daemon.auditTotal)).toBe(0);
    // A DaemonAudit component, and the check it runs as a dynamic resource of the same name.
    const audit = registered.filter((r) => r.name === "audited-audit");
    expect(audit.map((r) => r.type).sort()).toEqual([
      "pulumi-nodejs:dynamic/shipshape:DaemonAudit",
      "shipshape:index:DaemonAudit",
    ]);
    const child = audit.find((r) => r.type !== "shipshape:index:DaemonAudit");
    expect(child?.inputs).toMatchObject({
      host: "unix:///var/run/docker.sock",
      failOn: "critical",
      containers: ["web"],
    });
    // The provider travels as serialized code.
    expect(typeof child?.inputs.__provider).toBe("string");
  });
});
