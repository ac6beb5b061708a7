/**
 * Every check of kube-linter, checkov (Kubernetes) and Polaris is accounted for exactly once:
 * implemented by a rule (its `references`), answered differently on purpose (its `differences`),
 * mapped to a Pod Security Standards rule
 * (the PSS rules carry those tools' ids in their own `references`), or listed as out of scope with a reason. The id lists below were taken
 * from each tool's published check index.
 */
import { describe, expect, it } from "vitest";
import { allRules } from "../../../src/rules/catalog";
import { kubernetesOutOfScope, kubernetesRules } from "../../../src/rules/kubernetes";

const KUBE_LINTER = [
  // enabled by default
  "dangling-service",
  "deprecated-service-account-field",
  "docker-sock",
  "drop-net-raw-capability",
  "duplicate-env-var",
  "env-var-secret",
  "host-ipc",
  "host-network",
  "host-pid",
  "invalid-target-ports",
  "latest-tag",
  "liveness-port",
  "mismatching-selector",
  "no-anti-affinity",
  "no-extensions-v1beta",
  "no-read-only-root-fs",
  "non-existent-service-account",
  "pdb-max-unavailable",
  "pdb-min-available",
  "pdb-unhealthy-pod-eviction-policy",
  "privilege-escalation-container",
  "privileged-container",
  "readiness-port",
  "run-as-non-root",
  "sensitive-host-mounts",
  "ssh-port",
  "startup-port",
  "unsafe-sysctls",
  "unset-cpu-requirements",
  "unset-memory-requirements",
  // opt-in
  "access-to-create-pods",
  "access-to-secrets",
  "cluster-admin-role-binding",
  "dangling-horizontalpodautoscaler",
  "dangling-ingress",
  "dangling-networkpolicy",
  "dangling-networkpolicypeer-podselector",
  "dangling-servicemonitor",
  "default-service-account",
  "dnsconfig-options",
  "exposed-services",
  "hpa-minimum-three-replicas",
  "minimum-three-replicas",
  "no-liveness-probe",
  "no-node-affinity",
  "no-readiness-probe",
  "no-rolling-update-strategy",
  "non-isolated-pod",
  "privileged-ports",
  "read-secret-from-env-var",
  "required-annotation-email",
  "required-label-owner",
  "scc-deny-privileged-container",
  "unsafe-proc-mount",
  "use-namespace",
  "wildcard-in-rules",
  "writable-host-mount",
];

const POLARIS_SECURITY = [
  "automountServiceAccountToken",
  "hostIPCSet",
  "hostPathSet",
  "hostProcess",
  "hostPIDSet",
  "linuxHardening",
  "missingNetworkPolicy",
  "notReadOnlyRootFilesystem",
  "privilegeEscalationAllowed",
  "procMount",
  "runAsRootAllowed",
  "runAsPrivileged",
  "dangerousCapabilities",
  "insecureCapabilities",
  "hostNetworkSet",
  "hostPortSet",
  "tlsSettingsMissing",
  "sensitiveContainerEnvVar",
  "sensitiveConfigmapContent",
  "clusterrolePodExecAttach",
  "rolePodExecAttach",
  "clusterrolebindingPodExecAttach",
  "rolebindingClusterRolePodExecAttach",
  "rolebindingRolePodExecAttach",
  "clusterrolebindingClusterAdmin",
  "rolebindingClusterAdminClusterRole",
  "rolebindingClusterAdminRole",
  // images, resources and probes
  "tagNotSpecified",
  "pullPolicyNotAlways",
  "cpuRequestsMissing",
  "cpuLimitsMissing",
  "memoryRequestsMissing",
  "memoryLimitsMissing",
  "readinessProbeMissing",
  "livenessProbeMissing",
];

/** checkov's Kubernetes checks outside the control-plane flag range (CKV_K8S_68…151). */
const CHECKOV = [
  ...Array.from({ length: 45 }, (_, i) => `CKV_K8S_${i + 1}`),
  "CKV_K8S_49",
  ...[152, 153, 154, 155, 156, 157, 158].map((n) => `CKV_K8S_${n}`),
  ...[1, 2, 3, 4, 5, 6].map((n) => `CKV2_K8S_${n}`),
];

type Framework = "kubeLinter" | "checkov" | "polaris";

/** framework:id → who claims it (`rule:<id>` or `out-of-scope`). */
function claims(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (framework: string, id: string, by: string) => {
    const key = `${framework}:${id}`;
    const set = out.get(key) ?? new Set<string>();
    set.add(by);
    out.set(key, set);
  };
  for (const rule of allRules) {
    for (const [framework, ids] of Object.entries(rule.references)) {
      for (const id of ids ?? []) add(framework, id, `rule:${rule.id}`);
    }
  }
  // A deliberate, documented difference accounts for a check the rule does not cite.
  for (const rule of allRules) {
    for (const d of rule.differences ?? []) {
      if (!rule.references[d.framework]?.includes(d.id)) add(d.framework, d.id, `differs:${rule.id}`);
    }
  }
  for (const o of kubernetesOutOfScope) add(o.framework, o.id, "out-of-scope");
  return out;
}

describe("Kubernetes checks of other tools", () => {
  const claimed = claims();
  const cases: [Framework, string[]][] = [
    ["kubeLinter", KUBE_LINTER],
    ["checkov", CHECKOV],
    ["polaris", POLARIS_SECURITY],
  ];

  for (const [framework, ids] of cases) {
    it(`accounts for every ${framework} check`, () => {
      const missing = ids.filter((id) => !claimed.has(`${framework}:${id}`));
      expect(missing).toEqual([]);
    });
  }

  it("never lets two rules, or a rule and the out-of-scope list, claim the same check", () => {
    // Only the frameworks this group maps; CIS ids are the Docker and PSS groups' business.
    const owned = cases.map(([framework]) => `${framework}:`);
    const conflicts = [...claimed]
      .filter(([key, by]) => by.size > 1 && owned.some((prefix) => key.startsWith(prefix)))
      .map(([key, by]) => `${key} ← ${[...by].join(", ")}`);
    expect(conflicts).toEqual([]);
  });

  it("gives every out-of-scope entry a reason and every Kubernetes rule a reference or a rationale", () => {
    expect(kubernetesOutOfScope.filter((o) => o.reason.trim().length < 20)).toEqual([]);
    for (const rule of kubernetesRules) {
      expect(rule.rationale.length, rule.id).toBeGreaterThan(40);
      expect(rule.remediation.length, rule.id).toBeGreaterThan(20);
    }
  });
});
