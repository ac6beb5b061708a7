import { describe, expect, it } from "vitest";
import { dockerRules } from "../../../src/rules/docker";
import { defaultBridgeNetwork } from "../../../src/rules/docker/workload/default-bridge-network";
import { hostDevices } from "../../../src/rules/docker/workload/host-devices";
import { hostUserNamespace } from "../../../src/rules/docker/workload/host-user-namespace";
import { hostUtsNamespace } from "../../../src/rules/docker/workload/host-uts-namespace";
import { mountPropagationShared } from "../../../src/rules/docker/workload/mount-propagation-shared";
import { pidsLimit } from "../../../src/rules/docker/workload/pids-limit";
import { portsAllInterfaces } from "../../../src/rules/docker/workload/ports-all-interfaces";
import { privilegedHostPorts } from "../../../src/rules/docker/workload/privileged-host-ports";
import { restartPolicy } from "../../../src/rules/docker/workload/restart-policy";
import { container, workload } from "./model-builders";
import { paths, runRule } from "./run-rule";

const published = [
  { containerPort: 80, hostPort: 8080 },
  { containerPort: 443, hostPort: 443, hostIP: "0.0.0.0" },
  { containerPort: 9090, hostPort: 9090, hostIP: "127.0.0.1" },
  { containerPort: 9100, hostPort: 0 },
];

describe("Docker-only workload rules", () => {
  it("never fire on a Kubernetes pod with the same fields", () => {
    const pod = workload("kubernetes", {
      hostUsers: true,
      restartPolicy: { name: "Always" },
      containers: [container({ ports: published })],
    });
    for (const rule of [
      hostUserNamespace,
      restartPolicy,
      pidsLimit,
      portsAllInterfaces,
      privilegedHostPorts,
      defaultBridgeNetwork,
    ]) {
      expect(runRule(rule, pod), rule.id).toEqual([]);
    }
  });

  it("ports-all-interfaces reports ports without a specific host address, with a fix only on request", () => {
    const service = workload("compose", { containers: [container({ ports: published })] });
    expect(paths(portsAllInterfaces, service)).toEqual([
      "containers.0.ports.0",
      "containers.0.ports.1.hostIP",
      "containers.0.ports.3",
    ]);
    expect(runRule(portsAllInterfaces, service).every((v) => v.fix === undefined)).toBe(true);
    expect(portsAllInterfaces.parameters?.map((p) => [p.name, p.type, p.default])).toEqual([
      ["bindAddress", "ip-address", undefined],
    ]);
    expect(runRule(portsAllInterfaces, service, [], { bindAddress: "127.0.0.1" })[0]?.fix).toEqual([
      { op: "set", path: "containers.0.ports.0.hostIP", value: "127.0.0.1" },
    ]);
    // Exposed-only ports (no host port) are not published at all.
    const exposed = workload("compose", { containers: [container({ ports: [{ containerPort: 80 }] })] });
    expect(paths(portsAllInterfaces, exposed)).toEqual([]);
  });

  it("privileged-host-ports reports host ports below 1024 only", () => {
    const service = workload("compose", { containers: [container({ ports: published })] });
    expect(paths(privilegedHostPorts, service)).toEqual(["containers.0.ports.1"]);
  });

  it("restart-policy allows no policy, no and on-failure up to 5 retries", () => {
    const withPolicy = (name: string, maxRetries?: number) =>
      paths(
        restartPolicy,
        workload("compose", { restartPolicy: maxRetries === undefined ? { name } : { name, maxRetries } }),
      );
    expect(withPolicy("no")).toEqual([]);
    expect(withPolicy("on-failure", 5)).toEqual([]);
    expect(withPolicy("on-failure", 3)).toEqual([]);
    expect(withPolicy("on-failure")).toEqual(["restartPolicy"]);
    expect(withPolicy("on-failure", 10)).toEqual(["restartPolicy.maxRetries"]);
    expect(withPolicy("always")).toEqual(["restartPolicy"]);
    expect(withPolicy("unless-stopped")).toEqual(["restartPolicy"]);
    expect(paths(restartPolicy, workload("compose"))).toEqual([]);
  });

  it("pids-limit wants a positive limit on every container", () => {
    const w = workload("docker-engine", {
      containers: [
        container({ name: "a", resources: { pidsLimit: 100 } }),
        container({ name: "b", resources: { pidsLimit: -1 } }),
        container({ name: "c" }),
      ],
    });
    expect(paths(pidsLimit, w)).toEqual([
      "containers.1.resources.pidsLimit",
      "containers.2.resources.pidsLimit",
    ]);
  });

  it("default-bridge-network: docker0 for bridge mode or a bare docker run, not for Compose's own network", () => {
    expect(paths(defaultBridgeNetwork, workload("compose"))).toEqual([]);
    expect(paths(defaultBridgeNetwork, workload("compose", { networkMode: "bridge" }))).toEqual([
      "networkMode",
    ]);
    expect(paths(defaultBridgeNetwork, workload("docker-engine"))).toEqual(["networks"]);
    expect(paths(defaultBridgeNetwork, workload("docker-engine", { networks: ["backend"] }))).toEqual([]);
    expect(paths(defaultBridgeNetwork, workload("docker-engine", { networkMode: "none" }))).toEqual([]);
    // The Docker provider and the Engine API keep mode "bridge" beside the user networks actually joined.
    const joined = (networks: string[]) => workload("docker-engine", { networkMode: "bridge", networks });
    expect(paths(defaultBridgeNetwork, joined(["web-net"]))).toEqual([]);
    expect(paths(defaultBridgeNetwork, joined(["bridge", "web-net"]))).toEqual(["networkMode"]);
  });

  it("host-uts-namespace and host-user-namespace report the host modes, with a fix for uts", () => {
    expect(runRule(hostUtsNamespace, workload("compose", { hostUTS: true }))[0]?.fix).toEqual([
      { op: "remove", path: "hostUTS" },
    ]);
    expect(paths(hostUtsNamespace, workload("compose", { hostUTS: false }))).toEqual([]);
    expect(paths(hostUserNamespace, workload("compose", { hostUsers: true }))).toEqual(["hostUsers"]);
    expect(paths(hostUserNamespace, workload("compose", { hostUsers: false }))).toEqual([]);
  });
});

describe("Docker workload rules shared with Kubernetes", () => {
  it("mount-propagation-shared means the same for rshared (Docker) and Bidirectional (Kubernetes)", () => {
    const mount = (propagation: string) => [{ volume: "data", mountPath: "/data", propagation }];
    const pod = workload("kubernetes", { containers: [container({ mounts: mount("Bidirectional") })] });
    const service = workload("compose", { containers: [container({ mounts: mount("rshared") })] });
    expect(paths(mountPropagationShared, pod)).toEqual(["containers.0.mounts.0.propagation"]);
    expect(paths(mountPropagationShared, service)).toEqual(["containers.0.mounts.0.propagation"]);
    expect(
      paths(
        mountPropagationShared,
        workload("compose", { containers: [container({ mounts: mount("rslave") })] }),
      ),
    ).toEqual([]);
  });

  it("host-devices reports each device", () => {
    const w = workload("compose", {
      containers: [
        container({ devices: [{ hostPath: "/dev/fuse" }, { hostPath: "/dev/sda", permissions: "rwm" }] }),
      ],
    });
    expect(paths(hostDevices, w)).toEqual(["containers.0.devices.0", "containers.0.devices.1"]);
  });
});

describe("Docker rule catalog", () => {
  it("every rule has an id, references and a kind it targets; ids are unique", () => {
    const ids = dockerRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of dockerRules) {
      expect(r.targets.length, r.id).toBeGreaterThan(0);
      expect(r.rationale.length, r.id).toBeGreaterThan(20);
    }
  });
});
