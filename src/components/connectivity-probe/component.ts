import * as pulumi from "@pulumi/pulumi";
import type { ConnectivityProbeArgs, ProbeCell } from "./args";
import { ConnectivityCheck } from "./check";

/**
 * Measures, on the real engine during `pulumi up`, which service can open a TCP connection to
 * which (a locked-down probe container in each service's network namespace), compares the
 * matrix with the SegmentedNetworks' graph, and fails the deployment on any difference, printing
 * the matrix. `shipshape netcheck` runs the same measurement from the command line.
 */
export class ConnectivityProbe extends pulumi.ComponentResource {
  /** Every measured (from, to, port), with what the graph declares. */
  readonly cells: pulumi.Output<ProbeCell[]>;
  /** Cells that differ from the graph: always 0 for a probe that exists. */
  readonly differences: pulumi.Output<number>;
  /** The matrix as text. */
  readonly table: pulumi.Output<string>;
  /** Changes when the measured matrix does. */
  readonly fingerprint: pulumi.Output<string>;

  constructor(name: string, args: ConnectivityProbeArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!args || typeof args !== "object" || args.topology === undefined || args.probeImage === undefined)
      throw new Error(
        `invalid ConnectivityProbe "${name}" args:\n  - topology, probeImage: give the SegmentedNetworks' topology output and an image with busybox sh, nc and true`,
      );
    super("shipshape:index:ConnectivityProbe", name, {}, opts);
    const check = new ConnectivityCheck(name, args, { parent: this });
    this.cells = check.cells;
    this.differences = check.differences;
    this.table = check.table;
    this.fingerprint = check.fingerprint;
    this.registerOutputs({
      cells: this.cells,
      differences: this.differences,
      table: this.table,
      fingerprint: this.fingerprint,
    });
  }
}
