/**
 * The subnets a SegmentedNetworks gives, checked against the real engine's networks before any of
 * its networks is created. Skipped only through SHIPSHAPE_SKIP_DOCKER=1 (never set in CI).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { engineSubnetOverlaps } from "../../src/components/segmented-networks/engine-subnets";
import { describeDocker, requireEngine } from "../live/engine-helpers";

const run = promisify(execFile);
const NETWORK = `ss17-subnet-${process.pid}`;
const SUBNET = "10.231.7.0/24";

describeDocker("engine subnets", () => {
  beforeAll(async () => {
    await requireEngine();
    await run("docker", ["network", "create", "--internal", "--subnet", SUBNET, NETWORK]);
  });
  afterAll(async () => {
    await run("docker", ["network", "rm", NETWORK]).catch(() => undefined);
  });

  it("names the field and the engine's network a given subnet overlaps", async () => {
    const problems = await engineSubnetOverlaps([
      { path: "tiers.0.subnet", subnet: "10.231.7.128/25", network: "ss17-shop-tier-edge" },
      { path: "edges.1.subnet", subnet: "10.231.99.0/28", network: "ss17-shop-edge-a.b" },
    ]);
    expect(problems).toEqual([
      `tiers.0.subnet: 10.231.7.128/25 overlaps the engine's network "${NETWORK}" (${SUBNET}); pick a subnet outside it, or leave subnet out to let the engine allocate one`,
    ]);
  });

  it("does not count the topology's own network, which holds the subnet after the first up", async () => {
    expect(
      await engineSubnetOverlaps([{ path: "tiers.0.subnet", subnet: SUBNET, network: NETWORK }]),
    ).toEqual([]);
  });
});
