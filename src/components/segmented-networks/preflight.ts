import * as pulumi from "@pulumi/pulumi";
import { packageModulePath } from "../../program/module-path";
import type { GivenSubnet } from "./engine-subnets";

/** The checking module, by absolute path: the provider requires it in its own process. */
const MODULE = packageModulePath(__dirname, "engine-subnets");
const TS_HOOK = MODULE.endsWith(".ts") ? require.resolve("tsx/cjs/api") : "";

interface PreflightInputs {
  subnets: GivenSubnet[];
  host?: string;
}

async function checkEngine(inputs: PreflightInputs): Promise<void> {
  if (TS_HOOK) require(TS_HOOK).register();
  const { engineSubnetOverlaps } = require(MODULE) as typeof import("./engine-subnets");
  const problems = await engineSubnetOverlaps(inputs.subnets, inputs.host);
  if (problems.length > 0)
    throw new Error(
      `SegmentedNetworks: subnets overlap the engine's networks:\n  - ${problems.join("\n  - ")}`,
    );
}

/** Checks the given subnets against the engine before any network is created (and on every up). */
const preflightProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: PreflightInputs) {
    await checkEngine(inputs);
    return { id: "subnets", outs: inputs };
  },
  async diff(_id: string, olds: PreflightInputs, news: PreflightInputs) {
    return { changes: JSON.stringify(olds) !== JSON.stringify(news) };
  },
  async update(_id: string, _olds: PreflightInputs, news: PreflightInputs) {
    await checkEngine(news);
    return { outs: news };
  },
};

/** The dynamic resource the networks wait for when the topology gives subnets. */
export class SubnetPreflight extends pulumi.dynamic.Resource {
  constructor(
    name: string,
    inputs: { subnets: GivenSubnet[]; host?: string },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      preflightProvider,
      name,
      { subnets: inputs.subnets, host: inputs.host },
      opts,
      "shipshape",
      "SubnetPreflight",
    );
  }
}
