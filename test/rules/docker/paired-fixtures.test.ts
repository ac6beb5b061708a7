import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit";
import type { Resource } from "../../../src/model";
import { allRules } from "../../../src/rules/catalog";
import { PlatformScope } from "../../../src/rules/rule";
import { loadComposeFile } from "../../../src/sources/compose-file";
import { loadKubernetesFile } from "../../../src/sources/kubernetes-file";
import { loadFixture } from "./fixtures";

/** Docker rules about settings Kubernetes does not have (published ports, restart, PIDs, docker0…). */
const DOCKER_ONLY = new Set([
  "host-user-namespace",
  "host-uts-namespace",
  "host-devices",
  "ports-all-interfaces",
  "privileged-host-ports",
  "restart-policy",
  "pids-limit",
  "default-bridge-network",
]);

/** Kubernetes rules about concepts Compose does not have (service accounts, namespaces, probes, requests). */
const KUBERNETES_ONLY = new Set([
  "cpu-requests",
  "memory-requests",
  "default-namespace",
  "default-service-account",
  "service-account-token-automount",
  "liveness-probe",
  "readiness-probe",
  "image-pull-policy",
  "missing-network-policy",
]);

function ruleIds(resources: Resource[], without: Set<string>): string[] {
  return [...new Set(audit(resources).map((f) => f.ruleId))].filter((id) => !without.has(id)).sort();
}

function pair(name: string): { compose: string[]; kubernetes: string[] } {
  return {
    compose: ruleIds(loadFixture(`paired/${name}.compose.yaml`, loadComposeFile), DOCKER_ONLY),
    kubernetes: ruleIds(loadFixture(`paired/${name}.deployment.yaml`, loadKubernetesFile), KUBERNETES_ONLY),
  };
}

describe("a Compose service and a Kubernetes Deployment that mean the same thing", () => {
  it("get the same findings from the shared rules when insecure", () => {
    const { compose, kubernetes } = pair("insecure");
    expect(compose).toEqual(kubernetes);
    // The shared model carries the CIS section 5 items to both platforms.
    expect(compose).toEqual(
      expect.arrayContaining([
        "privileged-container",
        "host-namespaces",
        "capabilities-baseline",
        "seccomp-unconfined",
        "apparmor-unconfined",
        "docker-socket-mount",
        "sensitive-host-mounts",
        "mount-propagation-shared",
        "read-only-root-filesystem",
        "memory-limits",
        "cpu-limits",
        "privilege-escalation",
        "run-as-non-root",
        "image-latest-tag",
      ]),
    );
  });

  it("get no findings from the shared rules when hardened", () => {
    expect(pair("hardened")).toEqual({ compose: [], kubernetes: [] });
  });

  it("and the Docker-only rules stay silent on the Deployment", () => {
    const findings = audit(loadFixture("paired/insecure.deployment.yaml", loadKubernetesFile));
    expect(findings.filter((f) => DOCKER_ONLY.has(f.ruleId))).toEqual([]);
  });
});

describe("platform scope is the rules' data", () => {
  const workloadRules = allRules.filter((r) => r.targets.includes("workload"));
  it("the Docker-only and Kubernetes-only workload rules above are the ones that declare it", () => {
    const declared = (scope: PlatformScope) =>
      workloadRules
        .filter((r) => r.platforms === scope)
        .map((r) => r.id)
        .filter((id) => id !== "container-healthcheck")
        .sort();
    expect(declared(PlatformScope.Docker)).toEqual([...DOCKER_ONLY].sort());
    expect(declared(PlatformScope.Kubernetes)).toEqual([...KUBERNETES_ONLY].sort());
  });
});
