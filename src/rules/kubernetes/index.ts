import type { Rule } from "../rule";
import { clusterAdminBinding } from "./cluster-admin-binding";
import { cpuLimits } from "./cpu-limits";
import { cpuRequests } from "./cpu-requests";
import { defaultNamespace } from "./default-namespace";
import { defaultServiceAccount } from "./default-service-account";
import { dockerSocketMount } from "./docker-socket-mount";
import { imageDigest } from "./image-digest";
import { imageLatestTag } from "./image-latest-tag";
import { imagePullPolicy } from "./image-pull-policy";
import { livenessProbe } from "./liveness-probe";
import { memoryLimits } from "./memory-limits";
import { memoryRequests } from "./memory-requests";
import { missingNetworkPolicy } from "./missing-network-policy";
import { namespaceDefaultDeny } from "./namespace-default-deny";
import { pvcUnencryptedStorageClass } from "./pvc-unencrypted-storage-class";
import { rbacAdmissionWebhooks } from "./rbac-admission-webhooks";
import { rbacApproveCsr } from "./rbac-approve-csr";
import { rbacCreatePods } from "./rbac-create-pods";
import { rbacEscalationVerbs } from "./rbac-escalation-verbs";
import { rbacPodExec } from "./rbac-pod-exec";
import { rbacSecretsAccess } from "./rbac-secrets-access";
import { rbacWildcards } from "./rbac-wildcards";
import { readOnlyRootFilesystem } from "./read-only-root-filesystem";
import { readinessProbe } from "./readiness-probe";
import { runAsHighUid } from "./run-as-high-uid";
import { secretEnvReference } from "./secret-env-reference";
import { secretsInEnv } from "./secrets-in-env";
import { sensitiveHostMounts } from "./sensitive-host-mounts";
import { serviceAccountTokenAutomount } from "./service-account-token-automount";
import { serviceExternalIps } from "./service-external-ips";
import { serviceNodePort } from "./service-node-port";
import { sshPortExposed } from "./ssh-port-exposed";

export { kubernetesOutOfScope } from "./out-of-scope";

/** Kubernetes checks beyond the Pod Security Standards (kube-linter, checkov, Polaris). */
export const kubernetesRules: readonly Rule[] = [
  // Images
  imageLatestTag,
  imageDigest,
  imagePullPolicy,
  // Container runtime hardening
  readOnlyRootFilesystem,
  dockerSocketMount,
  sensitiveHostMounts,
  runAsHighUid,
  memoryLimits,
  cpuLimits,
  memoryRequests,
  cpuRequests,
  livenessProbe,
  readinessProbe,
  sshPortExposed,
  // Secrets and identity
  secretsInEnv,
  secretEnvReference,
  defaultServiceAccount,
  serviceAccountTokenAutomount,
  // Network exposure
  missingNetworkPolicy,
  namespaceDefaultDeny,
  serviceNodePort,
  serviceExternalIps,
  defaultNamespace,
  // RBAC
  clusterAdminBinding,
  rbacWildcards,
  rbacEscalationVerbs,
  rbacPodExec,
  rbacSecretsAccess,
  rbacCreatePods,
  rbacAdmissionWebhooks,
  rbacApproveCsr,
  // Storage
  pvcUnencryptedStorageClass,
];
