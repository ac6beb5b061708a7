import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  isComposeFileName,
  looksLikeCompose,
  parseComposeYaml,
  validateCompose,
} from "../../src/adapters/compose";
import type { Finding } from "../../src/engine/finding";
import {
  locate,
  type Network,
  type Resource,
  type Secret,
  type Volume,
  type Workload,
} from "../../src/model";
import type { Patch } from "../../src/rules/rule";
import { loadComposeFile } from "../../src/sources/compose-file";
import { loadKubernetesFile } from "../../src/sources/kubernetes-file";

const FIXTURES = join(__dirname, "../fixtures/docker");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const TEXT = fixture("compose.yaml");

function finding(resourceIndex: number, fix: Patch[]): Finding {
  return {
    ruleId: "x",
    severity: "high",
    message: "",
    file: "compose.yaml",
    line: 1,
    column: 1,
    object: "",
    references: {},
    resourceIndex,
    fix,
  };
}

function load(text = TEXT, file = "compose.yaml") {
  const source = loadComposeFile(file, text);
  expect(source.errors).toEqual([]);
  return source;
}

const byName = (resources: Resource[], name: string) => resources.find((r) => r.name === name)!;

describe("Compose adapter: mapping", () => {
  const { resources } = load();
  const web = byName(resources, "web") as Workload;
  const worker = byName(resources, "worker") as Workload;
  const child = byName(resources, "child") as Workload;
  const app = web.containers[0]!;

  it("makes one workload per service plus networks, volumes and secrets", () => {
    expect(resources.map((r) => [r.kind, r.name])).toEqual([
      ["workload", "web"],
      ["workload", "worker"],
      ["workload", "child"],
      ["network", "front"],
      ["volume", "data"],
      ["secret", "db_password"],
    ]);
    expect(web.sourceKind).toBe("compose-service");
    expect(byName(resources, "front") as Network).toMatchObject({ internal: true, icc: false });
    expect(byName(resources, "data") as Volume).toMatchObject({ driver: "local" });
    expect(byName(resources, "db_password") as Secret).toMatchObject({ type: "file" });
  });

  it("resolves anchors and merge keys into the service", () => {
    expect(app.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      capabilities: { add: [], drop: ["ALL"] },
      seccompProfile: { type: "Localhost", localhostProfile: "./seccomp/strict.json" },
      runAsUser: 10001,
      runAsGroup: 10001,
    });
  });

  it("reads short and long port syntax, host addresses and ranges", () => {
    expect(app.ports).toEqual([
      { containerPort: 80, hostPort: 8080 },
      { containerPort: 443, protocol: "tcp", hostPort: 8443, hostIP: "127.0.0.1" },
      { containerPort: 9000, hostPort: 9000 },
      { containerPort: 9001, hostPort: 9001 },
      { containerPort: 5000, protocol: "udp", hostPort: 5001, hostIP: "0.0.0.0" },
      { containerPort: 7000 },
    ]);
  });

  it("maps bind mounts (docker socket included), named volumes, tmpfs and secrets", () => {
    expect(web.volumes.map(({ name: _n, ...v }) => v)).toEqual([
      { type: "hostPath", hostPath: "./static" },
      { type: "hostPath", hostPath: "/var/run/docker.sock" },
      { type: "persistentVolumeClaim", source: "data" },
      { type: "emptyDir", medium: "Memory", options: ["size=64m"] },
      { type: "emptyDir", medium: "Memory", options: [] },
      { type: "secret", source: "db_password" },
    ]);
    expect(app.mounts.map((m) => [m.mountPath, m.readOnly])).toEqual([
      ["/srv/static", true],
      ["/var/run/docker.sock", undefined],
      ["/var/lib/web", undefined],
      ["/tmp", undefined],
      ["/run", undefined],
      ["/run/secrets/db_password", true],
    ]);
    expect(app.mounts.map((m) => m.volume)).toEqual(web.volumes.map((v) => v.name));
  });

  it("maps env (map and list), resources, health checks, restart, logging, ulimits, labels", () => {
    expect(app.env).toEqual([
      { name: "MODE", value: "prod" },
      { name: "TOKEN", otherRef: "host-environment" },
    ]);
    expect(app.resources).toEqual({ memoryLimit: "512Mi", cpuLimit: "0.5", pidsLimit: 100 });
    expect(app.probes).toEqual([{ kind: "healthcheck" }]);
    expect(web.restartPolicy).toEqual({ name: "on-failure", maxRetries: 3 });
    expect(web.logging).toEqual({ driver: "json-file", options: { "max-size": "10m" } });
    expect(app.ulimits).toEqual({ nofile: { soft: 1024, hard: 2048 }, nproc: { soft: 512, hard: 512 } });
    expect(web.networks).toEqual(["front"]);
    expect(web.suppressions).toEqual([
      {
        ruleIds: ["some-rule"],
        reason: "web needs this for the demo",
        form: "label",
        path: "labels.shipshape.io/suppress.some-rule",
      },
    ]);
    const w = worker.containers[0]!;
    expect(w.env).toEqual([
      { name: "LEVEL", value: "debug" },
      { name: "PASSTHROUGH", otherRef: "host-environment" },
    ]);
    expect(w.resources).toEqual({ memoryLimit: "1Gi", pidsLimit: 50 });
    expect(w.probes).toEqual([{ kind: "healthcheck", disabled: true }]);
    expect(w.devices).toEqual([{ hostPath: "/dev/fuse", containerPath: "/dev/fuse", permissions: "rwm" }]);
    expect(worker.restartPolicy).toEqual({ name: "always", maxRetries: 5 });
  });

  it("maps privileged settings and host namespaces", () => {
    const sc = worker.containers[0]!.securityContext;
    expect(sc).toEqual({
      privileged: true,
      capabilities: { add: ["NET_ADMIN", "SYS_TIME"], drop: [] },
      allowPrivilegeEscalation: true,
      appArmorProfile: { type: "Unconfined" },
      seLinuxOptions: { type: "spc_t" },
      procMount: "Unmasked",
    });
    expect(worker).toMatchObject({
      hostNetwork: true,
      networkMode: "host",
      hostPID: true,
      hostIPC: true,
      hostUTS: true,
      hostUsers: true,
      networks: [],
    });
    // Docker's default seccomp profile applies when nothing else is said (not when privileged).
    expect(sc.seccompProfile).toBeUndefined();
    expect(
      (byName(load("services:\n  a:\n    image: x\n").resources, "a") as Workload).containers[0]!
        .securityContext.seccompProfile,
    ).toEqual({ type: "RuntimeDefault" });
  });

  it("takes comment suppressions from inside a service's block only", () => {
    expect(worker.suppressions).toEqual([
      {
        ruleIds: ["other-rule"],
        reason: "the worker runs trusted batch code only",
        form: "comment",
        path: "suppressions.0",
      },
    ]);
    expect(locate(worker.origin, "suppressions.0")).toMatchObject({ line: 51, column: 5 });
    expect(child.suppressions.map((s) => s.form)).toEqual(["label"]);
  });

  it("resolves extends in the same file, merging lists and maps", () => {
    const c = child.containers[0]!;
    expect(c.image?.repository).toBe("shop/child");
    expect(c.securityContext.capabilities?.drop).toEqual(["ALL", "NET_RAW"]);
    expect(c.env.map((e) => e.name)).toEqual(["MODE", "TOKEN", "EXTRA"]);
    expect(c.ports).toHaveLength(6);
  });
});

describe("Compose adapter: positions", () => {
  const { resources } = load();
  const web = byName(resources, "web");
  const worker = byName(resources, "worker");
  const child = byName(resources, "child");
  const at = (r: Resource, path: string) => {
    const { line, column } = locate(r.origin, path);
    return [line, column];
  };

  it("points mapped fields at their Compose lines", () => {
    expect(at(web, "")).toEqual([9, 3]);
    expect(at(web, "containers.0.image")).toEqual([11, 5]);
    expect(at(web, "containers.0.securityContext.runAsUser")).toEqual([12, 5]);
    expect(at(web, "containers.0.ports.1.hostIP")).toEqual([15, 9]);
    expect(at(web, "containers.0.ports.3")).toEqual([16, 9]);
    expect(at(web, "containers.0.ports.4.hostIP")).toEqual([19, 9]);
    expect(at(web, "containers.0.env.1")).toEqual([24, 7]);
    expect(at(web, "volumes.1.hostPath")).toEqual([27, 9]);
    expect(at(web, "containers.0.mounts.4")).toEqual([32, 5]);
    expect(at(web, "containers.0.resources.memoryLimit")).toEqual([36, 19]);
    expect(at(web, "containers.0.probes.healthcheck")).toEqual([37, 5]);
    expect(at(web, "labels.shipshape.io/suppress.some-rule")).toEqual([47, 9]);
    expect(at(worker, "containers.0.securityContext.privileged")).toEqual([53, 5]);
    expect(at(worker, "containers.0.securityContext.allowPrivilegeEscalation")).toEqual([56, 9]);
    expect(at(worker, "containers.0.securityContext.procMount")).toEqual([59, 9]);
    expect(at(worker, "hostNetwork")).toEqual([60, 5]);
    expect(at(worker, "hostUsers")).toEqual([64, 5]);
    expect(at(worker, "containers.0.resources.memoryLimit")).toEqual([65, 5]);
    expect(at(worker, "containers.0.env.1")).toEqual([71, 9]);
    expect(at(byName(resources, "front"), "internal")).toEqual([86, 5]);
  });

  it("follows merge keys and extends to where a value is written", () => {
    expect(at(web, "containers.0.securityContext.readOnlyRootFilesystem")).toEqual([3, 3]);
    expect(at(web, "containers.0.securityContext.seccompProfile.type")).toEqual([6, 7]);
    expect(at(child, "containers.0.securityContext.readOnlyRootFilesystem")).toEqual([3, 3]);
    expect(at(child, "containers.0.image")).toEqual([79, 5]);
    expect(at(child, "containers.0.ports.0")).toEqual([14, 9]);
    // An absent field falls back to the service.
    expect(at(worker, "containers.0.securityContext.readOnlyRootFilesystem")).toEqual([50, 3]);
  });

  it("maps model paths to Compose source paths for fixes", () => {
    const src = (path: string) => web.origin.sourcePath?.(path);
    expect(src("containers.0.securityContext.allowPrivilegeEscalation")).toEqual([
      "services",
      "web",
      "security_opt",
    ]);
    expect(src("containers.0.securityContext.readOnlyRootFilesystem")).toEqual([
      "services",
      "web",
      "read_only",
    ]);
    expect(src("containers.0.securityContext.capabilities.drop")).toEqual(["services", "web", "cap_drop"]);
    expect(src("containers.0.ports.4.hostIP")).toEqual(["services", "web", "ports", 3, "host_ip"]);
    expect(src("containers.0.ports.3.hostIP")).toEqual(["services", "web", "ports", 2]);
    expect(src("hostNetwork")).toEqual(["services", "web", "network_mode"]);
  });
});

describe("Compose adapter: extends across files", () => {
  const file = join(FIXTURES, "extends/compose.yaml");

  it("reads the base service from a file relative to the compose file, with positions there", () => {
    const source = loadComposeFile(
      file,
      'services:\n  app:\n    extends: { file: base.yaml, service: common }\n    user: "1000"\n',
    );
    expect(source.errors).toEqual([]);
    const app = source.resources[0] as Workload;
    expect(app.containers[0]!.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      runAsUser: 1000,
    });
    expect(app.containers[0]!.image?.tag).toBe("3.20");
    expect(locate(app.origin, "containers.0.securityContext.readOnlyRootFilesystem")).toMatchObject({
      file: join(FIXTURES, "extends/base.yaml"),
      line: 4,
      column: 5,
    });
  });

  it("reports an extends cycle at the extends key", () => {
    const source = loadComposeFile(file, readFileSync(file, "utf8"));
    expect(source.resources).toEqual([]);
    expect(source.errors).toEqual([
      expect.objectContaining({
        line: 8,
        column: 5,
        message: expect.stringContaining("extends cycle: loop-b → loop-a → loop-b"),
      }),
    ]);
  });

  it("reports a missing base service and an unreadable file", () => {
    const missing = loadComposeFile("compose.yaml", "services:\n  a:\n    extends: nope\n    image: x\n");
    expect(missing.errors[0]).toMatchObject({ line: 3, message: expect.stringContaining('"nope"') });
    const unreadable = loadComposeFile(
      file,
      "services:\n  a:\n    extends: { file: nowhere.yaml, service: x }\n",
    );
    expect(unreadable.errors[0]).toMatchObject({
      line: 3,
      message: expect.stringContaining("cannot be read"),
    });
  });
});

describe("Compose adapter: fixes", () => {
  it("applies safe fixes, keeps comments, re-reads with the new values and still validates", () => {
    const source = load();
    const [web, worker, child] = source.resources;
    const out = source.applyFixes?.(
      [
        finding(0, [
          { op: "set", path: "containers.0.securityContext.allowPrivilegeEscalation", value: false },
        ]),
        finding(0, [{ op: "set", path: "containers.0.ports.0.hostIP", value: "127.0.0.1" }]),
        finding(0, [{ op: "set", path: "containers.0.ports.2.hostIP", value: "127.0.0.1" }]),
        finding(0, [{ op: "set", path: "containers.0.ports.4.hostIP", value: "127.0.0.1" }]),
        finding(1, [
          { op: "set", path: "containers.0.securityContext.allowPrivilegeEscalation", value: false },
        ]),
        finding(1, [
          {
            op: "remove-from-list",
            path: "containers.0.securityContext.capabilities.add",
            value: "NET_ADMIN",
          },
        ]),
        finding(1, [
          { op: "add-to-list", path: "containers.0.securityContext.capabilities.drop", value: "ALL" },
        ]),
        finding(1, [
          { op: "set", path: "containers.0.securityContext.readOnlyRootFilesystem", value: true },
          {
            op: "add-to-list",
            path: "volumes",
            value: { name: "scratch", type: "emptyDir", medium: "Memory" },
          },
          {
            op: "add-to-list",
            path: "containers.0.mounts",
            value: { volume: "scratch", mountPath: "/var/cache" },
          },
        ]),
        finding(1, [{ op: "set", path: "hostNetwork", value: false }]),
        finding(1, [
          {
            op: "set",
            path: "containers.0.securityContext.appArmorProfile",
            value: { type: "RuntimeDefault" },
          },
        ]),
        finding(1, [{ op: "set", path: "containers.0.securityContext.privileged", value: false }]),
        finding(1, [{ op: "set", path: "containers.0.resources.memoryLimit", value: "256Mi" }]),
        finding(2, [
          { op: "set", path: "containers.0.securityContext.allowPrivilegeEscalation", value: false },
        ]),
      ],
      0,
    );
    expect(out).toBeDefined();
    expect(out).toContain("# shop stack — this comment must survive fixes");
    expect(out).toContain("# shipshape:ignore other-rule the worker runs trusted batch code only");
    expect(out).toContain("cap_drop: [ALL]");
    // The shared anchor is left alone; the service gets its own list with the merged entries.
    expect(out!.split("services:")[0]).not.toContain("no-new-privileges");

    const again = loadComposeFile("compose.yaml", out!);
    expect(again.errors).toEqual([]);
    expect(validateCompose(parseComposeYaml("compose.yaml", out!))).toEqual([]);
    const [web2, worker2, child2] = again.resources as Workload[];
    expect(web2!.containers[0]!.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      seccompProfile: { type: "Localhost", localhostProfile: "./seccomp/strict.json" },
      readOnlyRootFilesystem: true,
    });
    expect(web2!.containers[0]!.ports.map((p) => p.hostIP)).toEqual([
      "127.0.0.1",
      "127.0.0.1",
      "127.0.0.1",
      "127.0.0.1",
      "127.0.0.1",
      undefined,
    ]);
    const w = worker2!.containers[0]!;
    expect(w.securityContext).toMatchObject({
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { add: ["SYS_TIME"], drop: ["ALL"] },
    });
    expect(w.securityContext.appArmorProfile).toBeUndefined();
    expect(w.resources.memoryLimit).toBe("256Mi");
    expect(w.mounts.map((m) => m.mountPath)).toEqual(["/var/cache"]);
    expect(worker2!.hostNetwork).toBeUndefined();
    expect(child2!.containers[0]!.securityContext.allowPrivilegeEscalation).toBe(false);
    expect([web, worker, child]).toHaveLength(3);
  });

  it("returns undefined when no fix applies", () => {
    expect(load().applyFixes?.([finding(0, [])], 0)).toBeUndefined();
  });
});

describe("Compose adapter: recognition and bad input", () => {
  it("refuses a key repeated in one mapping, at the repeat, also in nested mappings", () => {
    const errors = (text: string) => loadComposeFile("compose.yaml", text).errors;
    expect(errors("services:\n  a:\n    image: x\n  a:\n    image: y\n")).toEqual([
      {
        file: "compose.yaml",
        line: 4,
        column: 3,
        message:
          'invalid YAML: the key "a" appears twice in one mapping; Compose keys must be unique — remove or merge one of them',
      },
    ]);
    expect(errors("services:\n  a:\n    image: x\n    image: y\n")[0]).toMatchObject({ line: 4, column: 5 });
    // Merge keys may repeat, and the same key in two mappings is no repeat.
    expect(errors("x-a: &a {user: '1'}\nservices:\n  a: {<<: *a, image: x}\n  b: {image: x}\n")).toEqual([]);
  });

  it("recognises Compose by name and by content", () => {
    for (const name of [
      "compose.yaml",
      "compose.yml",
      "docker-compose.yml",
      "docker-compose.prod.yaml",
      "dir/compose.override.yml",
    ]) {
      expect(isComposeFileName(name)).toBe(true);
    }
    expect(isComposeFileName("deployment.yaml")).toBe(false);
    expect(looksLikeCompose("# stack\nservices:\n  web:\n    image: x\n")).toBe(true);
    expect(looksLikeCompose("apiVersion: v1\nkind: Service\nspec:\n  services: 1\n")).toBe(false);
  });

  it("reports a schema violation at the offending node", () => {
    const source = loadComposeFile("compose.yaml", "services:\n  web:\n    image: x\n    privilegd: true\n");
    expect(source.resources).toEqual([]);
    expect(source.errors).toEqual([
      expect.objectContaining({
        line: 4,
        column: 5,
        message: expect.stringContaining('"privilegd" is not a Compose Specification field'),
      }),
    ]);
    const typed = loadComposeFile(
      "compose.yaml",
      "services:\n  web:\n    image: x\n    ports:\n      - target: [1]\n",
    );
    expect(typed.errors[0]).toMatchObject({
      line: 5,
      message: expect.stringContaining("services.web.ports.0"),
    });
  });

  it("reports invalid YAML with its position, and non-mappings", () => {
    expect(loadComposeFile("compose.yaml", "services:\n  web:\n    image: [x\n").errors[0]).toMatchObject({
      message: expect.stringContaining("invalid YAML"),
      line: expect.any(Number),
    });
    expect(loadComposeFile("compose.yaml", "- a\n- b\n").errors[0]).toMatchObject({ line: 1, column: 1 });
  });

  it("refuses binary and huge input", () => {
    expect(loadComposeFile("compose.yaml", "services:\u0000\u0001").errors[0]).toMatchObject({
      line: 1,
      message: expect.stringContaining("binary"),
    });
    const huge = `services:\n${"  # padding line for the size limit test\n".repeat(300_000)}`;
    expect(loadComposeFile("compose.yaml", huge).errors[0]).toMatchObject({
      message: expect.stringContaining("MiB"),
    });
  });
});

describe("Compose and Kubernetes share the model", () => {
  it("maps a Compose service and a Deployment that mean the same thing to the same security fields", () => {
    const compose = loadComposeFile("paired-compose.yaml", fixture("paired-compose.yaml"));
    const kube = loadKubernetesFile("paired-deployment.yaml", fixture("paired-deployment.yaml"));
    expect(compose.errors).toEqual([]);
    expect(kube.errors).toEqual([]);
    const c = compose.resources[0] as Workload;
    const k = kube.resources[0] as Workload;
    const cc = c.containers[0]!;
    const kc = k.containers[0]!;
    expect(cc.securityContext).toEqual(kc.securityContext);
    expect(cc.image).toEqual(kc.image);
    expect(cc.ports).toEqual(kc.ports);
    expect(cc.resources).toEqual(kc.resources);
    expect(cc.mounts.map(({ volume: _v, ...m }) => m)).toEqual(kc.mounts.map(({ volume: _v, ...m }) => m));
    const volumeOf = (w: Workload, mountPath: string) => {
      const mount = w.containers[0]!.mounts.find((m) => m.mountPath === mountPath)!;
      const { name: _n, options: _o, ...v } = w.volumes.find((x) => x.name === mount.volume)!;
      return v;
    };
    for (const path of ["/var/run/docker.sock", "/tmp"]) expect(volumeOf(c, path)).toEqual(volumeOf(k, path));
    for (const field of ["hostNetwork", "hostPID", "hostIPC", "hostUsers", "privileged"] as const) {
      expect((c as unknown as Record<string, unknown>)[field]).toEqual(
        (k as unknown as Record<string, unknown>)[field],
      );
    }
  });
});
