import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { packageModulePath } from "../../program/module-path";
import type { NetworkTopology } from "../segmented-networks/topology";
import type { ProbeCell } from "./args";

/**
 * The measuring module, by absolute path: the provider runs in another process after closure
 * serialization, so it captures this string and requires the module there.
 */
const NETCHECK_MODULE = packageModulePath(join(__dirname, "..", "..", "netcheck"), "index");
/** In development the module is TypeScript: tsx's require hook, also by absolute path. */
const TS_HOOK = NETCHECK_MODULE.endsWith(".ts") ? require.resolve("tsx/cjs/api") : "";

export interface ProbeInputs {
  topology: NetworkTopology;
  containers: Record<string, string[]>;
  probeImage: string;
  host?: string;
  connectTimeoutSeconds: number;
  attempts: number;
}

export interface ProbeOutputs extends ProbeInputs {
  cells: ProbeCell[];
  /** Always 0 for a probe that exists: a difference fails the deployment. */
  differences: number;
  table: string;
  /** Changes when the measured matrix does. */
  fingerprint: string;
}

/** Measures (again while it differs and attempts remain); throws with the matrix on a difference. */
async function measure(inputs: ProbeInputs): Promise<ProbeOutputs> {
  if (TS_HOOK) require(TS_HOOK).register();
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  const netcheck = require(NETCHECK_MODULE) as typeof import("../../netcheck");
  const options: import("../../netcheck").MeasureOptions = {
    topology: inputs.topology,
    containers: inputs.containers,
    probeImage: inputs.probeImage,
    connectTimeoutSeconds: inputs.connectTimeoutSeconds,
  };
  if (inputs.host) options.host = inputs.host;
  let matrix = await netcheck.measureMatrix(options);
  for (let i = 1; i < inputs.attempts && matrix.differences.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 3000));
    matrix = await netcheck.measureMatrix(options);
  }
  const table = netcheck.formatMatrix(matrix);
  if (matrix.differences.length > 0)
    throw new Error(
      `ConnectivityProbe: the network does not allow exactly what the graph declares:\n${table}\nFix the topology (SegmentedNetworks edges) or what changed the engine's networks; shipshape netcheck measures it again.`,
    );
  const fingerprint = createHash("sha256")
    .update(JSON.stringify(matrix.cells.map((c) => [c.from, c.to, c.port, c.open])))
    .digest("hex")
    .slice(0, 16);
  return { ...inputs, cells: matrix.cells, differences: 0, table, fingerprint };
}

function changedInputs(olds: ProbeOutputs, news: ProbeInputs): boolean {
  const pick = (i: ProbeInputs) => [
    i.topology,
    i.containers,
    i.probeImage,
    i.host ?? "",
    i.connectTimeoutSeconds,
  ];
  return JSON.stringify(pick(olds)) !== JSON.stringify(pick(news));
}

/**
 * The dynamic provider of `ConnectivityProbe`. `diff` measures again, so drift (a container
 * connected to another network by hand) makes the next `pulumi up` run the gate again.
 */
export const connectivityProbeProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: ProbeInputs, news: ProbeInputs) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    const t = news.connectTimeoutSeconds;
    if (typeof t !== "number" || !Number.isInteger(t) || t < 1 || t > 30)
      failures.push({
        property: "connectTimeoutSeconds",
        reason: `connectTimeoutSeconds: got ${JSON.stringify(t)}; give a whole number of seconds from 1 to 30`,
      });
    const a = news.attempts;
    if (typeof a !== "number" || !Number.isInteger(a) || a < 1 || a > 20)
      failures.push({
        property: "attempts",
        reason: `attempts: got ${JSON.stringify(a)}; give a whole number from 1 to 20`,
      });
    return { inputs: news, failures };
  },
  async create(inputs: ProbeInputs) {
    const outs = await measure(inputs);
    return { id: `connectivity-${inputs.topology.prefix}`, outs };
  },
  async diff(_id: string, olds: ProbeOutputs, news: ProbeInputs) {
    if (changedInputs(olds, news)) return { changes: true };
    try {
      // With its retries: a service that is slow for a moment is not a change.
      const now = await measure(news);
      return { changes: now.fingerprint !== olds.fingerprint };
    } catch {
      // A difference (or an engine that cannot be reached): let `update` fail the deployment.
      return { changes: true };
    }
  },
  async update(_id: string, _olds: ProbeOutputs, news: ProbeInputs) {
    return { outs: await measure(news) };
  },
  async delete() {
    // A measurement leaves nothing behind (each probe container is removed when it exits).
  },
};
