import type { ObjectMeta } from "./meta";

/** Something that exposes workloads on the network (Kubernetes Service). */
export interface Service extends ObjectMeta {
  kind: "service";
  type: string;
  selector: Record<string, string>;
  ports: { port: number; targetPort?: number | string; nodePort?: number; protocol?: string }[];
  externalIPs: string[];
}

export interface LabelSelector {
  matchLabels: Record<string, string>;
  /** Expressions kept as written; rules treat any expression as "may match". */
  matchExpressions: { key: string; operator: string; values?: string[] }[];
}

/** An allow-list of traffic for the workloads it selects (Kubernetes NetworkPolicy). */
export interface NetworkPolicy extends ObjectMeta {
  kind: "networkPolicy";
  podSelector: LabelSelector;
  policyTypes: string[];
  /** Number of ingress / egress rules (empty lists with the type set mean deny). */
  ingressRules: number;
  egressRules: number;
}

/** An identity workloads run as (Kubernetes ServiceAccount). */
export interface ServiceAccount extends ObjectMeta {
  kind: "serviceAccount";
  automountServiceAccountToken?: boolean;
}

export interface Namespace extends ObjectMeta {
  kind: "namespace";
}

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  nonResourceURLs: string[];
  /** Names the rule is limited to; empty means every object of the listed resources. */
  resourceNames?: string[];
}

/** A set of permissions (Role / ClusterRole). */
export interface AccessRole extends ObjectMeta {
  kind: "role";
  clusterWide: boolean;
  rules: PolicyRule[];
}

/** A grant of a role to subjects (RoleBinding / ClusterRoleBinding). */
export interface AccessBinding extends ObjectMeta {
  kind: "binding";
  clusterWide: boolean;
  roleRef: { kind: string; name: string };
  subjects: { kind: string; name: string; namespace?: string }[];
}

/** A secret object (Kubernetes Secret, Compose/Docker secret). */
export interface Secret extends ObjectMeta {
  kind: "secret";
  type?: string;
  keys: string[];
}
