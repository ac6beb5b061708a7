import * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import type { DockerNetworkPlan } from "./spec";

/**
 * One user-defined bridge per plan entry. Edge networks are internal (no route out) with
 * inter-container traffic on, so exactly their two services meet there; tier networks give a tier
 * its route out with inter-container traffic off, so the tier's services do not meet there.
 */
export function createDockerNetworks(plans: DockerNetworkPlan[], parent: pulumi.Resource): docker.Network[] {
  return plans.map((p) => {
    const args: docker.NetworkArgs = {
      name: p.name,
      driver: "bridge",
      internal: p.internal,
      options: { "com.docker.network.bridge.enable_icc": p.icc ? "true" : "false" },
      labels: Object.entries(p.labels).map(([label, value]) => ({ label, value })),
    };
    if (p.subnet !== undefined) args.ipamConfigs = [{ subnet: p.subnet }];
    return new docker.Network(p.name, args, { parent });
  });
}
