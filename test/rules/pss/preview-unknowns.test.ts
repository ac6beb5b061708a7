/**
 * During `pulumi preview` some values are not known yet. A PSS rule must not report a
 * field it cannot see, and must not report a container for a pod-level default that is
 * still unknown (the container might inherit a compliant value).
 */
import { describe, expect, it } from "vitest";
import { audit } from "../../../src/engine/audit";
import type { Container, Workload } from "../../../src/model";

function deployment(unknown: string[]): Workload {
  const app: Container = {
    name: "app",
    role: "container",
    env: [],
    envFromSecrets: [],
    ports: [],
    securityContext: { allowPrivilegeEscalation: false, capabilities: { add: [], drop: ["ALL"] } },
    resources: {},
    probes: [],
    mounts: [],
    devices: [],
  };
  const file = "urn:pulumi:dev::shop::kubernetes:apps/v1:Deployment::web";
  return {
    kind: "workload",
    sourceKind: "Deployment",
    name: "web",
    labels: {},
    annotations: {},
    origin: { format: "pulumi", file, location: { file, line: 1, column: 1 }, locations: new Map() },
    suppressions: [],
    unknown: new Set(unknown),
    securityContext: {},
    containers: [app],
    volumes: [],
    networks: [],
    podLabels: {},
    podAnnotations: {},
  };
}

const RULES = ["run-as-non-root", "seccomp-profile-required"];

describe("PSS rules at preview", () => {
  it("report containers that cannot inherit anything", () => {
    expect(audit([deployment([])], { only: RULES }).map((f) => f.ruleId)).toEqual(RULES);
  });

  it("stay silent while the pod-level defaults are unknown", () => {
    expect(audit([deployment(["securityContext"])], { only: RULES })).toEqual([]);
    expect(
      audit([deployment(["securityContext.runAsNonRoot"])], { only: RULES }).map((f) => f.ruleId),
    ).toEqual(["seccomp-profile-required"]);
  });

  it("stay silent while the container's own security context is unknown", () => {
    expect(audit([deployment(["containers.0.securityContext"])], { only: RULES })).toEqual([]);
  });
});
