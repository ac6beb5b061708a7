import type { References } from "../rule";

/**
 * Docker controls that an existing shared rule already checks. Rather than a second rule for
 * the same check, these are the references those rules should carry (to be merged into them).
 * The model is shared, so a Compose service and a Kubernetes pod that mean the same thing get
 * the same finding from the same rule.
 */
export interface EquivalentReferences {
  ruleId: string;
  references: Pick<References, "cis" | "checkov" | "kics">;
}

export const dockerEquivalents: readonly EquivalentReferences[] = [
  // Pod Security Standards rules (ids fixed).
  { ruleId: "apparmor-unconfined", references: { cis: ["5.2"] } },
  { ruleId: "capabilities-baseline", references: { cis: ["5.4"] } },
  {
    ruleId: "drop-all-capabilities",
    // KICS "Container Capabilities Unrestricted" (also shipped as "Check Cap Add Cap Drop", same id).
    references: { cis: ["5.4"], kics: ["ce76b7d0-9e77-464d-b86f-c5c48e03e22d"] },
  },
  {
    ruleId: "privileged-container",
    references: { cis: ["5.5"], kics: ["ae5b6871-7f45-42e0-bb4c-ab300c4d2026"] },
  },
  {
    ruleId: "host-namespaces",
    references: {
      cis: ["5.10", "5.16", "5.17"],
      kics: [
        "071a71ff-f868-47a4-ac0b-3c59e4ab5443", // Shared Host Network Namespace / Network Mode Host Exists
        "4f31dd9f-2cc3-4751-9b53-67e4af83dac0", // Host Namespace is Shared (pid)
        "baa3890f-bed7-46f5-ab8f-1da8fc91c729", // Shared Host IPC Namespace / IPC Set To Host
      ],
    },
  },
  {
    ruleId: "seccomp-unconfined",
    references: { cis: ["5.22"], kics: ["404fde2c-bc4b-4371-9747-7054132ac953"] },
  },
  {
    ruleId: "privilege-escalation",
    references: { cis: ["5.26"], kics: ["27fcc7d6-c49b-46e0-98f1-6c082a6a2750"] },
  },
  // Kubernetes-group rules.
  { ruleId: "read-only-root-filesystem", references: { cis: ["5.13"] } },
  { ruleId: "memory-limits", references: { cis: ["5.11"], kics: ["bb9ac4f7-e13b-423d-a010-c74a1bfbe492"] } },
  { ruleId: "cpu-limits", references: { cis: ["5.12"], kics: ["6b610c50-99fb-4ef0-a5f3-e312fd945bc3"] } },
  {
    ruleId: "sensitive-host-mounts",
    references: { cis: ["5.6"], kics: ["1c1325ff-831d-43a1-973e-839ae57dfcc0"] },
  },
  {
    ruleId: "docker-socket-mount",
    references: { cis: ["5.32"], kics: ["d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b"] },
  },
];
