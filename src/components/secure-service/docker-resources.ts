import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { dockerContainerArgs, dockerContainerPlan, ownNetworkName, SERVICE_LABEL } from "./docker";
import { overrideRecords } from "./overrides";
import { createDockerSecretFiles } from "./secret-files";
import { imageGate, type ServiceSpec } from "./spec";

export interface DockerResources {
  containers: docker.Container[];
  network: docker.Network | undefined;
  /** The names the resources are given (explicit, so the provider reports them back as they are). */
  names: { containers: string[]; network: string | undefined };
}

/** The Docker resources of a spec, children of `parent`: its own network (unless it joins others) and one container per replica. */
export function createDockerResources(spec: ServiceSpec, parent: pulumi.Resource): DockerResources {
  const networkName = ownNetworkName(spec);
  const network =
    networkName === undefined
      ? undefined
      : new docker.Network(
          `${spec.name}-net`,
          {
            name: networkName,
            driver: "bridge",
            labels: Object.entries({
              [SERVICE_LABEL]: spec.name,
              ...overrideRecords(spec.overrides, spec.overrideContext),
            }).map(([label, value]) => ({ label, value })),
          },
          { parent, dependsOn: imageGate(spec) },
        );
  const secrets =
    spec.secretFiles.length === 0
      ? undefined
      : createDockerSecretFiles({
          serviceName: spec.name,
          files: spec.secretFiles,
          uid: spec.uid,
          gid: spec.gid,
          image: spec.image,
          labels: spec.labels,
          parent,
          dependsOn: imageGate(spec),
        });
  const containers: docker.Container[] = [];
  const containerNames: string[] = [];
  for (let replica = 0; replica < spec.replicas; replica++) {
    const plan = dockerContainerPlan(spec, replica);
    const args = dockerContainerArgs(plan);
    if (secrets) {
      // Plain lists (dockerContainerArgs builds them so), so each known label stays visible to policies at preview.
      // EncryptedVolume references make the mounts an Output; then the secret mounts join it there.
      const mounts = args.mounts;
      args.mounts = pulumi.Output.isInstance(mounts)
        ? mounts.apply((m) => [...(m as docker.types.input.ContainerMount[]), ...secrets.mounts])
        : [...(mounts as docker.types.input.ContainerMount[]), ...secrets.mounts];
      args.labels = [...(args.labels as docker.types.input.ContainerLabel[]), secrets.label];
    }
    containerNames.push(plan.containerName);
    containers.push(
      new docker.Container(plan.containerName, args, {
        parent,
        dependsOn: imageGate(spec, network ? [network] : []),
      }),
    );
  }
  return { containers, network, names: { containers: containerNames, network: networkName } };
}
