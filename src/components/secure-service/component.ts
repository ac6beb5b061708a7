import * as pulumi from "@pulumi/pulumi";
import { PlatformKind } from "../../platform/platform";
import type { SecureServiceArgs } from "./args";
import { createDockerResources } from "./docker-resources";
import { createKubernetesResources } from "./kubernetes-resources";
import { buildServiceSpec } from "./spec";

/**
 * One hardened service: a Docker container per replica (on `docker`) or a Kubernetes
 * Deployment with its Service, ServiceAccount, NetworkPolicy and PodDisruptionBudget (on
 * `kubernetes`). Safe by default; every weakening is a named override with a reason recorded on
 * the resources. Providers come from the resource options (`provider` / `providers`).
 */
export class SecureService extends pulumi.ComponentResource {
  /** The image reference the service runs, checked. */
  readonly image: pulumi.Output<string>;
  /** Docker: the names of the containers, one per replica. Kubernetes: empty. */
  readonly containerNames: pulumi.Output<string[]>;
  /** Docker: the IDs of the containers. Kubernetes: empty. */
  readonly containerIds: pulumi.Output<string[]>;
  /** Docker: the service's own network, when it joins no named networks. */
  readonly networkName: pulumi.Output<string | undefined>;
  /** Kubernetes: the namespace of every object. */
  readonly namespace: pulumi.Output<string | undefined>;
  /** Kubernetes: the Deployment's name. */
  readonly deploymentName: pulumi.Output<string | undefined>;
  /** Kubernetes: the Service's name, when the service has ports. */
  readonly serviceName: pulumi.Output<string | undefined>;
  /** Kubernetes: the ServiceAccount the pods run as. */
  readonly serviceAccountName: pulumi.Output<string | undefined>;

  constructor(name: string, args: SecureServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before anything is registered, the component itself included.
    const { spec, warnings } = buildServiceSpec(name, args);
    // The args are the component's inputs, as for any Pulumi component: `shipshape render`
    // reads them back from the program's registrations.
    super("shipshape:index:SecureService", name, recordedArgs(args), opts);
    for (const w of warnings) pulumi.log.warn(`SecureService ${name}: ${w}`, this);
    this.image = pulumi.output(spec.image);
    const none = pulumi.output<string | undefined>(undefined);
    if (spec.target.kind === PlatformKind.Docker) {
      const created = createDockerResources(spec, this);
      this.containerNames = pulumi.all(created.containers.map((c) => c.name));
      this.containerIds = pulumi.all(created.containers.map((c) => c.id));
      this.networkName = created.network ? created.network.name : none;
      this.namespace = this.deploymentName = this.serviceName = this.serviceAccountName = none;
    } else {
      const created = createKubernetesResources(spec, this);
      this.containerNames = this.containerIds = pulumi.output([]);
      this.networkName = none;
      this.namespace = created.deployment.metadata.namespace;
      this.deploymentName = created.deployment.metadata.name;
      this.serviceName = created.service ? created.service.metadata.name : none;
      this.serviceAccountName = created.serviceAccount.metadata.name;
    }
    this.registerOutputs({
      image: this.image,
      containerNames: this.containerNames,
      containerIds: this.containerIds,
      networkName: this.networkName,
      namespace: this.namespace,
      deploymentName: this.deploymentName,
      serviceName: this.serviceName,
      serviceAccountName: this.serviceAccountName,
    });
  }
}

/**
 * The args as the component records them. An environment value that resolves to nothing is
 * recorded as null: dropped silently, a reader of the inputs could not tell it was ever there.
 */
function recordedArgs(given: SecureServiceArgs): pulumi.Inputs {
  // Secret files are recorded as Pulumi secrets: ciphertext in the state, like the value itself.
  const args = given.secretFiles
    ? { ...given, secretFiles: given.secretFiles.map((f) => ({ ...f, value: pulumi.secret(f.value) })) }
    : given;
  if (!args.env) return { ...args };
  const env: Record<string, pulumi.Input<string | null>> = {};
  for (const [key, value] of Object.entries(args.env))
    env[key] = typeof value === "string" ? value : pulumi.output(value).apply((v) => v ?? null);
  return { ...args, env };
}
