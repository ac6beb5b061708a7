import { describe, expect, it } from "vitest";
import { dockerRules } from "../../../src/rules/docker";
import { daemonAufsStorageDriver } from "../../../src/rules/docker/daemon/daemon-aufs-storage-driver";
import { daemonBaseDeviceSize } from "../../../src/rules/docker/daemon/daemon-base-device-size";
import { daemonIcc } from "../../../src/rules/docker/daemon/daemon-icc";
import { daemonInsecureRegistries } from "../../../src/rules/docker/daemon/daemon-insecure-registries";
import { daemonLiveRestore } from "../../../src/rules/docker/daemon/daemon-live-restore";
import { daemonLogLevel } from "../../../src/rules/docker/daemon/daemon-log-level";
import { daemonNoNewPrivileges } from "../../../src/rules/docker/daemon/daemon-no-new-privileges";
import { daemonRemoteLogging } from "../../../src/rules/docker/daemon/daemon-remote-logging";
import { daemonRootless } from "../../../src/rules/docker/daemon/daemon-rootless";
import { daemonSeccompProfile } from "../../../src/rules/docker/daemon/daemon-seccomp-profile";
import { daemonTcpTls } from "../../../src/rules/docker/daemon/daemon-tcp-tls";
import { daemonUserlandProxy } from "../../../src/rules/docker/daemon/daemon-userland-proxy";
import { daemonUsernsRemap } from "../../../src/rules/docker/daemon/daemon-userns-remap";
import { daemon, hardenedDaemon } from "./model-builders";
import { paths, runRule } from "./run-rule";

const daemonRules = dockerRules.filter((r) => r.targets.includes("daemon"));

describe("daemon rules", () => {
  it("a hardened daemon.json passes every daemon rule", () => {
    const d = hardenedDaemon();
    expect(daemonRules.flatMap((r) => runRule(r, d).map((v) => `${r.id}: ${v.message}`))).toEqual([]);
  });

  it("an empty daemon.json fails the rules whose safe value is not Docker's default", () => {
    const d = daemon();
    const failing = daemonRules.filter((r) => runRule(r, d).length > 0).map((r) => r.id);
    expect(failing.sort()).toEqual(
      [
        "daemon-authorization-plugin",
        "daemon-default-ulimits",
        "daemon-icc",
        "daemon-live-restore",
        "daemon-no-new-privileges",
        "daemon-remote-logging",
        "daemon-userland-proxy",
        "daemon-userns-remap",
      ].sort(),
    );
  });

  it("every daemon rule carries a CIS section 2 reference", () => {
    for (const r of daemonRules) expect(r.references.cis?.[0], r.id).toMatch(/^2\.\d+$/);
  });

  it("offers the documented safe fixes", () => {
    const d = daemon({ icc: true });
    expect(runRule(daemonIcc, d)[0]?.fix).toEqual([{ op: "set", path: "icc", value: false }]);
    expect(runRule(daemonLiveRestore, d)[0]?.fix).toEqual([{ op: "set", path: "liveRestore", value: true }]);
    expect(runRule(daemonUserlandProxy, d)[0]?.fix).toEqual([
      { op: "set", path: "userlandProxy", value: false },
    ]);
    expect(runRule(daemonNoNewPrivileges, d)[0]?.fix).toEqual([
      { op: "set", path: "noNewPrivileges", value: true },
    ]);
  });

  it("daemon-tcp-tls requires tlsverify with CA, certificate and key on TCP sockets only", () => {
    expect(paths(daemonTcpTls, daemon({ hosts: ["unix:///var/run/docker.sock", "fd://"] }))).toEqual([]);
    expect(
      paths(daemonTcpTls, daemon({ hosts: ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"] })),
    ).toEqual(["hosts.1"]);
    expect(paths(daemonTcpTls, daemon({ hosts: ["0.0.0.0:2376"], tls: true }))).toEqual(["hosts.0"]);
    const partial = runRule(
      daemonTcpTls,
      daemon({ hosts: ["tcp://:2376"], tlsVerify: true, tlsCaCert: "/ca.pem" }),
    );
    expect(partial[0]?.message).toContain("tlscert, tlskey not set");
    const full = daemon({
      hosts: ["tcp://0.0.0.0:2376"],
      tlsVerify: true,
      tlsCaCert: "/etc/docker/ca.pem",
      tlsCert: "/etc/docker/server.pem",
      tlsKey: "/etc/docker/server-key.pem",
    });
    expect(paths(daemonTcpTls, full)).toEqual([]);
  });

  it("reports each insecure registry and each basesize option at its index", () => {
    expect(paths(daemonInsecureRegistries, daemon({ insecureRegistries: ["a:5000", "b:5000"] }))).toEqual([
      "insecureRegistries.0",
      "insecureRegistries.1",
    ]);
    const d = daemon({ settings: { "storage-opts": ["overlay2.size=10G", "dm.basesize=20G"] } });
    expect(paths(daemonBaseDeviceSize, d)).toEqual(["settings.storage-opts.1"]);
  });

  it("judges log level, log driver, storage driver and seccomp by value", () => {
    expect(paths(daemonLogLevel, daemon({ settings: { "log-level": "info" } }))).toEqual([]);
    expect(paths(daemonLogLevel, daemon({ settings: { "log-level": "debug", debug: true } }))).toEqual([
      "settings.log-level",
      "settings.debug",
    ]);
    expect(paths(daemonRemoteLogging, daemon({ logDriver: "json-file" }))).toEqual(["logDriver"]);
    expect(paths(daemonRemoteLogging, daemon({ logDriver: "fluentd" }))).toEqual([]);
    expect(paths(daemonAufsStorageDriver, daemon({ storageDriver: "aufs" }))).toEqual(["storageDriver"]);
    expect(paths(daemonAufsStorageDriver, daemon({ storageDriver: "overlay2" }))).toEqual([]);
    expect(paths(daemonSeccompProfile, daemon({ seccompProfile: "unconfined" }))).toEqual(["seccompProfile"]);
    expect(paths(daemonSeccompProfile, daemon({ seccompProfile: "/etc/docker/seccomp.json" }))).toEqual([]);
  });

  it("rootless engines need no userns-remap, and only a live engine can fail daemon-rootless", () => {
    expect(paths(daemonUsernsRemap, daemon({ rootless: true }))).toEqual([]);
    expect(paths(daemonRootless, daemon())).toEqual([]);
    expect(paths(daemonRootless, daemon({ rootless: false }))).toEqual(["rootless"]);
    expect(paths(daemonRootless, daemon({ rootless: false, usernsRemap: "default" }))).toEqual([]);
  });
});
