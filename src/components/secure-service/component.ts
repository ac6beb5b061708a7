import * as docker from "@pulumi/docker";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DockerPlatform } from "../../platform/docker-platform";
import type { KubernetesPlatform } from "../../platform/kubernetes-platform";
import { PlatformKind } from "../../platform/platform";
import { activeCollector } from "../../render/collector";
import { type SecureServiceArgs, SecureServiceArgsError } from "./args";
import { dockerContainerArgs, dockerContainerPlan, SERVICE_LABEL } from "./docker";
import { kubernetesManifests, type Manifest } from "./kubernetes";
import { buildServiceSpec, checkImage, overrideRecords, type ServiceSpec } from "./spec";

/**
 * One hardened service: a Docker container (on a DockerPlatform) or a Kubernetes
 * Deployment + Service + ServiceAccount (+ PodDisruptionBudget, NetworkPolicy).
 * Safe by default; every weakening is a named override with a reason recorded on the resources.
 */
export class SecureService extends pulumi.ComponentResource {
  /** The validated, hardened spec the resources were built from. */
  readonly spec: ServiceSpec;
  /** Docker: the containers (one per replica). */
  readonly containers: docker.Container[] = [];
  /** Docker: the service's own network, unless the platform names networks. */
  readonly network: docker.Network | undefined;
  /** Kubernetes objects. */
  readonly deployment: k8s.apps.v1.Deployment | undefined;
  readonly service: k8s.core.v1.Service | undefined;
  readonly serviceAccount: k8s.core.v1.ServiceAccount | undefined;
  readonly podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget | undefined;
  readonly networkPolicy: k8s.networking.v1.NetworkPolicy | undefined;
  /** The image reference, checked. */
  readonly image: pulumi.Output<string>;

  constructor(name: string, args: SecureServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before anything is registered, the component itself included.
    const { spec, warnings } = buildServiceSpec(name, args);
    super("shipshape:index:SecureService", name, {}, opts);
    this.spec = spec;
    for (const w of warnings) pulumi.log.warn(`SecureService ${name}: ${w}`, this);
    const platform = args.platform;
    // An image that is an Output is checked when it resolves.
    this.image = pulumi.output(args.image).apply((image) => {
      if (typeof args.image !== "string") {
        const checked = checkImage(image, platform, args.overrides);
        if (checked.issues.length > 0) throw new SecureServiceArgsError(name, checked.issues);
        if (checked.warning) pulumi.log.warn(`SecureService ${name}: ${checked.warning}`, this);
      }
      return image;
    });
    activeCollector()?.services.push({ name, args });

    if (platform.kind === PlatformKind.Docker) {
      const dockerPlatform = platform as DockerPlatform;
      const childOpts: pulumi.CustomResourceOptions = { parent: this };
      if (dockerPlatform.provider) childOpts.provider = dockerPlatform.provider;
      let network: docker.Network | undefined;
      for (let replica = 0; replica < spec.replicas; replica++) {
        const plan = dockerContainerPlan(spec, dockerPlatform, replica);
        plan.image = this.image;
        if (plan.networkToCreate && !network) {
          network = new docker.Network(
            `${name}-net`,
            {
              name: plan.networkToCreate,
              driver: "bridge",
              labels: Object.entries({
                [SERVICE_LABEL]: name,
                ...overrideRecords(spec, PlatformKind.Docker),
              }).map(([label, value]) => ({ label, value })),
            },
            childOpts,
          );
        }
        const dependsOn = network ? [network] : [];
        this.containers.push(
          new docker.Container(plan.containerName, dockerContainerArgs(plan), { ...childOpts, dependsOn }),
        );
      }
      this.network = network;
    } else {
      const kube = platform as KubernetesPlatform;
      const childOpts: pulumi.CustomResourceOptions = { parent: this };
      if (kube.provider) childOpts.provider = kube.provider;
      const m = kubernetesManifests(spec, kube, this.image);
      this.serviceAccount = new k8s.core.v1.ServiceAccount(
        `${name}-sa`,
        withoutKind(m.serviceAccount),
        childOpts,
      );
      this.deployment = new k8s.apps.v1.Deployment(`${name}`, withoutKind(m.deployment), {
        ...childOpts,
        dependsOn: [this.serviceAccount],
      });
      if (m.service) this.service = new k8s.core.v1.Service(`${name}-svc`, withoutKind(m.service), childOpts);
      if (m.podDisruptionBudget)
        this.podDisruptionBudget = new k8s.policy.v1.PodDisruptionBudget(
          `${name}-pdb`,
          withoutKind(m.podDisruptionBudget),
          childOpts,
        );
      if (m.networkPolicy)
        this.networkPolicy = new k8s.networking.v1.NetworkPolicy(
          `${name}-netpol`,
          withoutKind(m.networkPolicy),
          childOpts,
        );
    }
    this.registerOutputs({ image: this.image });
  }
}

/** The provider sets apiVersion and kind itself; the rest of a manifest is the resource's args. */
// biome-ignore lint/suspicious/noExplicitAny: manifests are checked by their builder, not by the provider's types
function withoutKind(manifest: Manifest): any {
  const { apiVersion: _apiVersion, kind: _kind, ...rest } = manifest;
  return rest;
}
