import * as pulumi from "@pulumi/pulumi";
import { type ArgsIssue, ComponentArgsError } from "../validation/issues";
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
    const issues = probeArgsIssues(args);
    if (issues.length > 0) throw new ComponentArgsError("ConnectivityProbe", name, issues);
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

/** What can be checked before anything is registered: the plain fields (Outputs are checked by the provider). */
function probeArgsIssues(args: ConnectivityProbeArgs): ArgsIssue[] {
  if (!args || typeof args !== "object")
    return [
      { path: "", value: args, message: "args must be an object with topology, containers and probeImage" },
    ];
  const issues: ArgsIssue[] = [];
  if (args.topology === undefined || args.topology === null)
    issues.push({
      path: "topology",
      value: args.topology,
      message: "give the SegmentedNetworks' topology output",
    });
  if (args.probeImage === undefined || args.probeImage === "")
    issues.push({
      path: "probeImage",
      value: args.probeImage,
      message: "give an image with busybox sh, nc and true (the services' own busybox image does)",
    });
  if (!args.containers || typeof args.containers !== "object" || Array.isArray(args.containers))
    issues.push({
      path: "containers",
      value: args.containers,
      message: "give each topology service's containers by name, e.g. { api: api.containerNames }",
    });
  const whole = (field: "connectTimeoutSeconds" | "attempts", max: number) => {
    const v = args[field];
    if (typeof v === "number" && (!Number.isInteger(v) || v < 1 || v > max))
      issues.push({ path: field, value: v, message: `${field} must be a whole number from 1 to ${max}` });
  };
  whole("connectTimeoutSeconds", 30);
  whole("attempts", 20);
  return issues;
}
