export * from "./component";
export type { KubernetesAuditFinding } from "./types";
