import type { ResourceKind } from "./resource";

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  "workload",
  "service",
  "networkPolicy",
  "serviceAccount",
  "namespace",
  "role",
  "binding",
  "secret",
  "network",
  "volume",
  "daemon",
  "build",
];
