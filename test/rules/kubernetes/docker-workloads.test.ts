/**
 * The Kubernetes group's rules run on Docker-shaped workloads too (Compose services, `docker
 * run` containers). Platform-neutral checks must report them; checks of Kubernetes-only
 * concepts (service accounts, namespaces, network policies, probes, requests, pull policy)
 * must stay silent, because a Compose service simply has no such field.
 */
import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit";
import { imageRefOrUnparsed, type Workload } from "../../../src/model";

function composeService(overrides: Partial<Workload> = {}): Workload {
  return {
    kind: "workload",
    sourceKind: "compose-service",
    name: "web",
    labels: {},
    annotations: {},
    suppressions: [],
    origin: {
      format: "compose",
      file: "compose.yaml",
      location: { file: "compose.yaml", line: 3, column: 3 },
      locations: new Map(),
    },
    securityContext: {},
    containers: [
      {
        name: "web",
        role: "container",
        image: imageRefOrUnparsed("nginx"),
        env: [{ name: "DB_PASSWORD", value: "plain-text-password" }],
        envFromSecrets: [],
        ports: [{ containerPort: 22, hostPort: 2222 }],
        securityContext: {},
        resources: {},
        probes: [],
        mounts: [{ volume: "docker", mountPath: "/var/run/docker.sock" }],
        devices: [],
      },
    ],
    volumes: [{ name: "docker", type: "hostPath", hostPath: "/var/run/docker.sock" }],
    networks: ["default"],
    podLabels: {},
    podAnnotations: {},
    ...overrides,
  };
}

const KUBERNETES_ONLY = [
  "image-pull-policy",
  "memory-requests",
  "cpu-requests",
  "liveness-probe",
  "readiness-probe",
  "default-service-account",
  "service-account-token-automount",
  "missing-network-policy",
  "default-namespace",
];

const NEUTRAL = [
  "image-latest-tag",
  "image-digest",
  "read-only-root-filesystem",
  "docker-socket-mount",
  "memory-limits",
  "cpu-limits",
  "secrets-in-env",
  "ssh-port-exposed",
];

describe("Kubernetes group on Docker workloads", () => {
  it("stays silent for Kubernetes-only concepts", () => {
    expect(audit([composeService()], { only: KUBERNETES_ONLY })).toEqual([]);
  });

  it("reports the platform-neutral problems of a Compose service", () => {
    const found = new Set(audit([composeService()], { only: NEUTRAL }).map((f) => f.ruleId));
    expect([...found].sort()).toEqual([...NEUTRAL].sort());
  });

  it("reads a Docker user id like a Kubernetes one for run-as-high-uid", () => {
    const w = composeService();
    const low = {
      ...w,
      containers: w.containers.map((c) => ({ ...c, securityContext: { runAsUser: 1000 } })),
    };
    const high = {
      ...w,
      containers: w.containers.map((c) => ({ ...c, securityContext: { runAsUser: 10001 } })),
    };
    expect(audit([low], { only: ["run-as-high-uid"] }).map((f) => f.ruleId)).toEqual(["run-as-high-uid"]);
    expect(audit([high], { only: ["run-as-high-uid"] })).toEqual([]);
  });
});
