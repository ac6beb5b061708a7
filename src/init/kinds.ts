/** The kind of service the templates are for. */
export enum InitType {
  Web = "web",
  Worker = "worker",
  Database = "database",
}

/** Where the Pulumi program deploys the service. */
export enum InitPlatform {
  Docker = "docker",
  Kubernetes = "kubernetes",
}
