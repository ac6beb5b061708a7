import type { References } from "../rule";

/**
 * Docker controls that an existing shared rule already checks. Rather than a second rule for
 * the same check, these are the references those rules should carry (to be merged into them).
 * The model is shared, so a Compose service and a Kubernetes pod that mean the same thing get
 * the same finding from the same rule.
 *
 * Only references those rules do not carry yet are listed: the PSS rules already name their
 * CIS 5.x items and KICS docker-compose queries (host-namespaces, privileged-container,
 * capabilities-baseline, drop-all-capabilities, seccomp-unconfined, apparmor-unconfined,
 * privilege-escalation), and read-only-root-filesystem its CIS 5.13.
 */
export interface EquivalentReferences {
  ruleId: string;
  references: Pick<References, "cis" | "checkov" | "kics">;
}

export const dockerEquivalents: readonly EquivalentReferences[] = [
  // KICS "Memory Not Limited"
  { ruleId: "memory-limits", references: { kics: ["bb9ac4f7-e13b-423d-a010-c74a1bfbe492"] } },
  // CIS 5.12 "Ensure that CPU priority is set appropriately on containers"; KICS "Cpus Not Limited"
  { ruleId: "cpu-limits", references: { cis: ["5.12"], kics: ["6b610c50-99fb-4ef0-a5f3-e312fd945bc3"] } },
  // KICS "Volume Has Sensitive Host Directory"
  { ruleId: "sensitive-host-mounts", references: { kics: ["1c1325ff-831d-43a1-973e-839ae57dfcc0"] } },
  // KICS "Docker Socket Mounted In Container"
  { ruleId: "docker-socket-mount", references: { kics: ["d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b"] } },
];
