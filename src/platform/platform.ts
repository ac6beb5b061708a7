/** Where a component lands. */
export enum PlatformKind {
  Docker = "docker",
  Kubernetes = "kubernetes",
}
