/** Where a component lands. */
export enum PlatformKind {
  Docker = "docker",
  Kubernetes = "kubernetes",
}

/** What every platform object has; components switch on `kind`. */
export interface Platform {
  readonly kind: PlatformKind;
}
