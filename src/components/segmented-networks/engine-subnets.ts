/**
 * The engine's own networks, checked against the subnets a topology gives: an overlap fails
 * before any network is created (Docker would refuse the second pool, or, worse, route into the
 * wrong network). Runs in the dynamic provider's process: commands by argument array, modules
 * required inside the function.
 */

export interface GivenSubnet {
  /** The args field that gave it (`tiers.0.subnet`). */
  path: string;
  subnet: string;
  /** The network the topology creates with it (existing networks of that name are its own). */
  network: string;
}

/** Overlaps of the given subnets with the engine's networks, as messages naming the field. */
export async function engineSubnetOverlaps(subnets: GivenSubnet[], host?: string): Promise<string[]> {
  const { execFile } = require("node:child_process") as typeof import("node:child_process");
  const { promisify } = require("node:util") as typeof import("node:util");
  const run = promisify(execFile);
  const docker = (args: string[]) =>
    run("docker", host ? ["--host", host, ...args] : args, { maxBuffer: 64 * 1024 * 1024 });
  const ids = (await docker(["network", "ls", "--quiet", "--no-trunc"])).stdout.split("\n").filter(Boolean);
  if (ids.length === 0) return [];
  const networks = JSON.parse((await docker(["network", "inspect", ...ids])).stdout) as {
    Name: string;
    IPAM?: { Config?: { Subnet?: string }[] | null };
  }[];
  const parse = (text: string): [number, number] | undefined => {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(text);
    if (!m) return undefined;
    const base = m.slice(1, 5).reduce((a, o) => a * 256 + Number(o), 0);
    const size = 2 ** (32 - Number(m[5]));
    return [base - (base % size), base - (base % size) + size];
  };
  const problems: string[] = [];
  for (const given of subnets) {
    const mine = parse(given.subnet);
    if (!mine) continue;
    for (const n of networks) {
      if (n.Name === given.network) continue;
      for (const c of n.IPAM?.Config ?? []) {
        const theirs = c.Subnet ? parse(c.Subnet) : undefined;
        if (theirs && mine[0] < theirs[1] && theirs[0] < mine[1])
          problems.push(
            `${given.path}: ${given.subnet} overlaps the engine's network ${JSON.stringify(n.Name)} (${c.Subnet}); pick a subnet outside it, or leave subnet out to let the engine allocate one`,
          );
      }
    }
  }
  return problems;
}
