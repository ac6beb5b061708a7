import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/engine/finding";
import { type DaemonConfig, locate } from "../../src/model";
import type { Patch } from "../../src/rules/rule";
import { loadDaemonJson } from "../../src/sources/daemon-json-file";

const TEXT = readFileSync(join(__dirname, "../fixtures/docker/daemon.json"), "utf8");

function finding(fix: Patch[], resourceIndex = 0): Finding {
  return {
    ruleId: "x",
    severity: "high",
    message: "",
    file: "daemon.json",
    line: 1,
    column: 1,
    object: "",
    references: {},
    resourceIndex,
    fix,
  };
}

describe("daemon.json adapter", () => {
  const source = loadDaemonJson("daemon.json", TEXT);
  const config = source.resources[0] as DaemonConfig;

  it("maps dockerd keys to typed fields and keeps every setting", () => {
    expect(source.errors).toEqual([]);
    expect(config).toMatchObject({
      kind: "daemon",
      icc: true,
      logDriver: "json-file",
      logOpts: { "max-size": "10m", "max-file": "3" },
      hosts: ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"],
      insecureRegistries: ["registry.internal:5000"],
      defaultUlimits: { nofile: { soft: 1024, hard: 65536 } },
      userlandProxy: true,
      experimental: false,
      authorizationPlugins: [],
    });
    expect(config.liveRestore).toBeUndefined();
    expect(config.settings["log-driver"]).toBe("json-file");
  });

  it("locates each key, list item and nested option", () => {
    expect(locate(config.origin, "icc")).toMatchObject({ file: "daemon.json", line: 2, column: 5 });
    expect(locate(config.origin, "logOpts.max-file")).toMatchObject({ line: 6, column: 9 });
    expect(locate(config.origin, "hosts.1")).toMatchObject({ line: 8, column: 46 });
    expect(locate(config.origin, "settings.experimental")).toMatchObject({ line: 14, column: 5 });
    // Absent keys fall back to the object.
    expect(locate(config.origin, "liveRestore")).toMatchObject({ line: 1, column: 1 });
  });

  it("applies fixes as JSON, keeping key order and indentation", () => {
    const out = source.applyFixes?.(
      [
        finding([{ op: "set", path: "icc", value: false }]),
        finding([{ op: "set", path: "liveRestore", value: true }]),
        finding([{ op: "set", path: "noNewPrivileges", value: true }]),
        finding([{ op: "remove-from-list", path: "hosts", value: "tcp://0.0.0.0:2375" }]),
        finding([{ op: "set", path: "logOpts.max-size", value: "20m" }]),
        // Another file's finding is ignored.
        finding([{ op: "set", path: "experimental", value: true }], 5),
      ],
      0,
    );
    expect(out).toBeDefined();
    expect(out!.split("\n")[1]).toBe('    "icc": false,');
    expect(Object.keys(JSON.parse(out!))).toEqual([
      "icc",
      "log-driver",
      "log-opts",
      "hosts",
      "insecure-registries",
      "default-ulimits",
      "userland-proxy",
      "experimental",
      "live-restore",
      "no-new-privileges",
    ]);
    const again = loadDaemonJson("daemon.json", out!);
    expect(again.resources[0]).toMatchObject({
      icc: false,
      liveRestore: true,
      noNewPrivileges: true,
      experimental: false,
      hosts: ["unix:///var/run/docker.sock"],
      logOpts: { "max-size": "20m", "max-file": "3" },
    });
    expect(source.applyFixes?.([finding([])], 0)).toBeUndefined();
  });
});

describe("daemon.json bad input", () => {
  const error = (text: string) => {
    const source = loadDaemonJson("daemon.json", text);
    expect(source.resources).toEqual([]);
    expect(source.errors).toHaveLength(1);
    return source.errors[0]!;
  };

  it("reports invalid JSON with line and column", () => {
    expect(error('{\n  "icc": false,\n}\n')).toMatchObject({
      line: 3,
      column: 1,
      message: expect.stringContaining("trailing comma"),
    });
    expect(error('{\n  "icc": fals\n}')).toMatchObject({ line: 2, column: 10 });
    expect(error('{\n  // no comments\n  "icc": false\n}')).toMatchObject({
      line: 2,
      column: 3,
      message: expect.stringContaining("comments"),
    });
    expect(error('{"a": "unterminated\n')).toMatchObject({ line: 1, column: 20 });
    expect(error('{"a": "unterminated')).toMatchObject({
      line: 1,
      column: 7,
      message: expect.stringContaining("never closed"),
    });
    expect(error('{"a": 1} {"b": 2}')).toMatchObject({ line: 1, column: 10 });
    expect(error("")).toMatchObject({ line: 1, column: 1, message: expect.stringContaining("empty") });
    expect(error("[1, 2]")).toMatchObject({ message: expect.stringContaining("JSON object") });
  });

  it("refuses binary and huge input", () => {
    expect(error('{"a":\u0000}')).toMatchObject({
      line: 1,
      column: 1,
      message: expect.stringContaining("binary"),
    });
    expect(error(`{"a": "${"x".repeat(11 * 1024 * 1024)}"}`)).toMatchObject({
      line: 1,
      message: expect.stringContaining("MiB"),
    });
  });
});
