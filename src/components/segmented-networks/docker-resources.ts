import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { SubnetPreflight } from "./preflight";
import type { DockerNetworkPlan } from "./spec";

/**
 * One user-defined bridge per plan entry. Edge networks are internal (no route out) with
 * inter-container traffic on, so exactly their two services meet there; tier networks give a tier
 * its route out with inter-container traffic off, so the tier's services do not meet there.
 */
export function createDockerNetworks(
  name: string,
  plans: DockerNetworkPlan[],
  parent: pulumi.Resource,
): docker.Network[] {
  // Given subnets are checked against the engine's networks first (their overlaps with each other
  // were refused before anything was registered). The engine is the ambient provider's.
  const given = plans.flatMap((p) =>
    p.subnet === undefined ? [] : [{ path: p.subnetPath ?? "subnet", subnet: p.subnet, network: p.name }],
  );
  const host = new pulumi.Config("docker").get("host");
  const preflight =
    given.length === 0
      ? undefined
      : new SubnetPreflight(`${name}-subnets`, { subnets: given, ...(host ? { host } : {}) }, { parent });
  return plans.map((p) => {
    const args: docker.NetworkArgs = {
      name: p.name,
      driver: "bridge",
      internal: p.internal,
      options: { "com.docker.network.bridge.enable_icc": p.icc ? "true" : "false" },
      labels: Object.entries(p.labels).map(([label, value]) => ({ label, value })),
    };
    if (p.subnet !== undefined) args.ipamConfigs = [{ subnet: p.subnet }];
    return new docker.Network(p.name, args, { parent, ...(preflight ? { dependsOn: [preflight] } : {}) });
  });
}
