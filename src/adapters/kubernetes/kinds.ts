import type { ResourceKind } from "../../model";

/**
 * A kind whose objects embed a pod template, and where: `template` is the path of the object
 * that holds the pod's `metadata` and `spec` (empty for a Pod itself).
 */
export interface WorkloadKind {
  /** API group (`apps`, `argoproj.io`; `""` for the core group). */
  group: string;
  kind: string;
  template: readonly string[];
}

/** Where the pod template sits in a workload object. */
export interface PodTemplatePaths {
  spec: string[];
  meta: string[];
}

const SPEC_TEMPLATE = ["spec", "template"] as const;

/**
 * The workload kinds shipshape reads without being told: the built-in controllers (with the
 * older `extensions` group), and OpenShift's DeploymentConfig (`apps.openshift.io`, or the core
 * group on OpenShift 3). Others are declared with `--workload-kind` (see `parseWorkloadKind`).
 */
export const BUILTIN_WORKLOAD_KINDS: readonly WorkloadKind[] = [
  { group: "", kind: "Pod", template: [] },
  { group: "", kind: "PodTemplate", template: ["template"] },
  { group: "", kind: "ReplicationController", template: SPEC_TEMPLATE },
  ...["apps", "extensions"].flatMap((group) =>
    ["Deployment", "DaemonSet", "ReplicaSet"].map((kind) => ({ group, kind, template: SPEC_TEMPLATE })),
  ),
  { group: "apps", kind: "StatefulSet", template: SPEC_TEMPLATE },
  { group: "batch", kind: "Job", template: SPEC_TEMPLATE },
  { group: "batch", kind: "CronJob", template: ["spec", "jobTemplate", "spec", "template"] },
  { group: "apps.openshift.io", kind: "DeploymentConfig", template: SPEC_TEMPLATE },
  { group: "", kind: "DeploymentConfig", template: SPEC_TEMPLATE },
];

/** The pod spec and pod metadata paths of a template path. */
export function podTemplatePaths(template: readonly string[]): PodTemplatePaths {
  return { spec: [...template, "spec"], meta: [...template, "metadata"] };
}

/**
 * Pod template paths by kind alone, for callers that know no API group (Pulumi type tokens
 * name the kind; their group is the built-in one). First built-in entry of each kind wins.
 */
export const POD_SPEC_PATHS: Record<string, PodTemplatePaths> = Object.fromEntries(
  [...BUILTIN_WORKLOAD_KINDS].reverse().map((w) => [w.kind, podTemplatePaths(w.template)]),
);

/** The API group of an `apiVersion` (`apps/v1` → `apps`, `v1` → `""`). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

/** Kinds shipshape maps to a non-workload model object, with the API groups they belong to. */
const MODELLED_KINDS: Record<string, { groups: readonly string[]; model: ResourceKind }> = {
  Service: { groups: [""], model: "service" },
  NetworkPolicy: { groups: ["networking.k8s.io", "extensions"], model: "networkPolicy" },
  ServiceAccount: { groups: [""], model: "serviceAccount" },
  Namespace: { groups: [""], model: "namespace" },
  Role: { groups: ["rbac.authorization.k8s.io"], model: "role" },
  ClusterRole: { groups: ["rbac.authorization.k8s.io"], model: "role" },
  RoleBinding: { groups: ["rbac.authorization.k8s.io"], model: "binding" },
  ClusterRoleBinding: { groups: ["rbac.authorization.k8s.io"], model: "binding" },
  Secret: { groups: [""], model: "secret" },
  PersistentVolumeClaim: { groups: [""], model: "volume" },
};

/**
 * Built-in kinds with nothing for the rules to check: left out of the audit (and counted) even
 * with `--strict-kinds`, which makes every other unaudited kind an error.
 */
export const UNCHECKED_BUILTIN_KINDS: ReadonlySet<string> = new Set([
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

/** Groups served by Kubernetes itself: a built-in kind in one of them is misfiled, not custom. */
function isBuiltinGroup(group: string): boolean {
  return (
    group === "" || ["apps", "batch", "extensions", "policy"].includes(group) || group.endsWith(".k8s.io")
  );
}

/** How an object of one `apiVersion` and `kind` is read. */
export type KindReading =
  | { as: "workload"; template: readonly string[] }
  | { as: "object"; model: ResourceKind }
  /** A kind shipshape audits, named with the wrong built-in group (`v1` Deployment): an error. */
  | { as: "wrong-group"; groups: readonly string[] }
  | { as: "not-audited" };

/**
 * What to do with an object: read its pod template (built-in or declared workload kinds), map
 * it to a model object, or leave it out of the audit (kinds no rule checks: ConfigMaps, custom
 * resources). Declared kinds come first, so a user can also override a built-in path.
 */
export function kindReading(
  apiVersion: string,
  kind: string,
  declared: readonly WorkloadKind[] = [],
): KindReading {
  const group = apiGroup(apiVersion);
  const workload =
    declared.find((w) => w.kind === kind && w.group === group) ??
    BUILTIN_WORKLOAD_KINDS.find((w) => w.kind === kind && w.group === group);
  if (workload) return { as: "workload", template: workload.template };
  const modelled = MODELLED_KINDS[kind];
  if (modelled?.groups.includes(group)) return { as: "object", model: modelled.model };
  if (isBuiltinGroup(group)) {
    const groups =
      modelled?.groups ?? BUILTIN_WORKLOAD_KINDS.filter((w) => w.kind === kind).map((w) => w.group);
    if (groups.length > 0) return { as: "wrong-group", groups };
  }
  return { as: "not-audited" };
}

/** The model kind a Kubernetes kind maps to, without reading the object (Pulumi type tokens). */
export function modelKindOf(kind: string): ResourceKind | undefined {
  if (POD_SPEC_PATHS[kind]) return "workload";
  return MODELLED_KINDS[kind]?.model;
}

/**
 * Reads a `--workload-kind` declaration: `<group>/<Kind>=<path.of.pod.template>`, e.g.
 * `argoproj.io/Rollout=spec.template` or `serving.knative.dev/Service=spec.template`. The path
 * names the object holding the pod's `metadata` and `spec`. Returns an error message when the
 * text is not of that form.
 */
export function parseWorkloadKind(text: string): WorkloadKind | string {
  const m = /^(?:([a-z0-9.-]+)\/)?([A-Z][A-Za-z0-9]*)=([A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*)$/.exec(text.trim());
  if (!m) {
    return `"${text}" is not <group>/<Kind>=<path>; for example argoproj.io/Rollout=spec.template`;
  }
  return { group: m[1] ?? "", kind: m[2] as string, template: (m[3] as string).split(".") };
}
