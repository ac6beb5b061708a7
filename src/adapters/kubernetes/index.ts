export { type KubernetesReadOptions, type KubernetesReadResult, readKubernetesDocuments } from "./read";
