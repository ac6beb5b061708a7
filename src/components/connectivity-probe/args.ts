import type * as pulumi from "@pulumi/pulumi";
import type { NetworkTopology } from "../segmented-networks/topology";

/** What a ConnectivityProbe measures, and where. */
export interface ConnectivityProbeArgs {
  /** The SegmentedNetworks' `topology` output: the services, their ports and the pairs that may connect. */
  topology: pulumi.Input<NetworkTopology>;
  /** The containers of each topology service, by service name, e.g. `{ api: api.containerNames }`. */
  containers: Record<string, pulumi.Input<string[]>>;
  /**
   * The image the probe runs in each service's network namespace: busybox `sh`, `nc` and `true`
   * (the services' own busybox image does). Run read-only, without capabilities, as uid 65534.
   */
  probeImage: pulumi.Input<string>;
  /** Engine address (`unix:///…`, `tcp://…`). @default DOCKER_HOST, else the local socket */
  host?: pulumi.Input<string>;
  /** Seconds each connection attempt waits. @default 1 */
  connectTimeoutSeconds?: pulumi.Input<number>;
  /**
   * Measurements before a difference fails the deployment: a service that is still starting is
   * measured again, 3 seconds later.
   * @default 5
   */
  attempts?: pulumi.Input<number>;
}

/** One measured connection, as the outputs keep it. */
export interface ProbeCell {
  from: string;
  to: string;
  port: number;
  /** The TCP connection opened. */
  open: boolean;
  /** The graph allows the pair. */
  expected: boolean;
}
