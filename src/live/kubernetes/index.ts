export {
  auditCluster,
  type ClusterAuditOptions,
  type ClusterAuditResult,
  clusterAuditRules,
} from "./audit-cluster";
export { type ClusterAuditFlags, clusterAuditParts, runClusterAudit } from "./cli-audit";
export {
  type ClusterSnapshot,
  ClusterUnreachableError,
  type ReadClusterOptions,
  readCluster,
} from "./read-cluster";
export { auditClusterSync } from "./sync";
