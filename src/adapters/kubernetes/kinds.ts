import type { ResourceKind } from "../../model";
/** Where the pod template sits in each workload kind. */
export const POD_SPEC_PATHS: Record<string, { spec: string[]; meta: string[] }> = {
  Pod: { spec: ["spec"], meta: ["metadata"] },
  PodTemplate: { spec: ["template", "spec"], meta: ["template", "metadata"] },
  Deployment: { spec: ["spec", "template", "spec"], meta: ["spec", "template", "metadata"] },
  StatefulSet: { spec: ["spec", "template", "spec"], meta: ["spec", "template", "metadata"] },
  DaemonSet: { spec: ["spec", "template", "spec"], meta: ["spec", "template", "metadata"] },
  ReplicaSet: { spec: ["spec", "template", "spec"], meta: ["spec", "template", "metadata"] },
  ReplicationController: { spec: ["spec", "template", "spec"], meta: ["spec", "template", "metadata"] },
  Job: { spec: ["spec", "template", "spec"], meta: ["spec", "template", "metadata"] },
  CronJob: {
    spec: ["spec", "jobTemplate", "spec", "template", "spec"],
    meta: ["spec", "jobTemplate", "spec", "template", "metadata"],
  },
};

/** Kinds shipshape maps to a non-workload model object. */
export const MODELLED_KINDS = new Set([
  "Service",
  "NetworkPolicy",
  "ServiceAccount",
  "Namespace",
  "Role",
  "ClusterRole",
  "RoleBinding",
  "ClusterRoleBinding",
  "Secret",
]);

/**
 * Built-in kinds with nothing for the rules to check: read and skipped without complaint.
 * Anything else (a custom resource, a misspelt kind) is reported as unknown.
 */
export const IGNORED_BUILTIN_KINDS = new Set([
  "ConfigMap",
  "Endpoints",
  "EndpointSlice",
  "Event",
  "HorizontalPodAutoscaler",
  "Ingress",
  "IngressClass",
  "LimitRange",
  "Lease",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "PodDisruptionBudget",
  "PriorityClass",
  "ResourceQuota",
  "StorageClass",
  "CustomResourceDefinition",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "APIService",
  "CSIDriver",
  "CSINode",
  "VolumeAttachment",
  "RuntimeClass",
  "ControllerRevision",
  "CertificateSigningRequest",
  "Node",
]);

/** The model kind a Kubernetes kind maps to, without reading the object. */
export function modelKindOf(kind: string): ResourceKind | undefined {
  if (POD_SPEC_PATHS[kind]) return "workload";
  switch (kind) {
    case "Service":
      return "service";
    case "NetworkPolicy":
      return "networkPolicy";
    case "ServiceAccount":
      return "serviceAccount";
    case "Namespace":
      return "namespace";
    case "Role":
    case "ClusterRole":
      return "role";
    case "RoleBinding":
    case "ClusterRoleBinding":
      return "binding";
    case "Secret":
      return "secret";
    default:
      return undefined;
  }
}
