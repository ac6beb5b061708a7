import * as pulumi from "@pulumi/pulumi";
import type { NetworkTopology } from "../segmented-networks/topology";
import type { ConnectivityProbeArgs, ProbeCell } from "./args";
import { connectivityProbeProvider } from "./provider";

/** The dynamic resource that measures in the provider's process; `ConnectivityProbe` wraps it. */
export class ConnectivityCheck extends pulumi.dynamic.Resource {
  declare readonly topology: pulumi.Output<NetworkTopology>;
  declare readonly cells: pulumi.Output<ProbeCell[]>;
  declare readonly differences: pulumi.Output<number>;
  declare readonly table: pulumi.Output<string>;
  declare readonly fingerprint: pulumi.Output<string>;

  constructor(name: string, args: ConnectivityProbeArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      connectivityProbeProvider,
      name,
      {
        topology: args.topology,
        containers: args.containers,
        probeImage: args.probeImage,
        host: args.host,
        connectTimeoutSeconds: args.connectTimeoutSeconds ?? 1,
        attempts: args.attempts ?? 5,
        cells: undefined,
        differences: undefined,
        table: undefined,
        fingerprint: undefined,
      },
      opts,
      "shipshape",
      "ConnectivityProbe",
    );
  }
}
