export { parseWorkloadKind, type WorkloadKind } from "./kinds";
export {
  type KubernetesReadOptions,
  type KubernetesReadResult,
  readKubernetesDocuments,
} from "./read";
