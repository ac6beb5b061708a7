/**
 * What `shipshape netcheck` works from: a topology read back from a stack (the SegmentedNetworks'
 * `topology` output, checked here as untrusted input) and the containers the engine runs for it.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type NetworkTopology, SEGMENT_SERVICE_LABEL } from "../components/segmented-networks/topology";

const run = promisify(execFile);
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NETWORK = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Thrown for a topology document that is not one. */
export class TopologyError extends Error {}

function fail(path: string, message: string): never {
  throw new TopologyError(`topology ${path}: ${message}`);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function list(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, "must be a list");
  return v;
}

function name(v: unknown, path: string): string {
  if (typeof v !== "string" || !NAME.test(v) || v.length > 63)
    fail(path, "must be a service or tier name (a DNS label)");
  return v;
}

function ports(v: unknown, path: string): number[] {
  return list(v, path).map((p, i) => {
    if (typeof p !== "number" || !Number.isInteger(p) || p < 1 || p > 65535)
      fail(`${path}.${i}`, "must be a port from 1 to 65535");
    return p;
  });
}

/**
 * A topology from JSON text: the SegmentedNetworks' `topology` output, as
 * `pulumi stack output <name> --json` prints it (or a whole stack output object holding one).
 */
export function parseTopology(text: string): NetworkTopology {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TopologyError(`the topology is not JSON (${(e as Error).message})`);
  }
  if (isObject(doc) && !("services" in doc)) {
    const found = Object.values(doc).filter((v) => isObject(v) && "services" in v && "reachable" in v);
    if (found.length === 1) doc = found[0];
    else
      throw new TopologyError(
        found.length === 0
          ? "no topology in the document: give a SegmentedNetworks' topology output (pulumi stack output <name> --json)"
          : "the stack outputs hold several topologies: give one (pulumi stack output <name> --json)",
      );
  }
  if (!isObject(doc)) fail("(root)", "must be an object");
  const prefix = doc.prefix;
  if (typeof prefix !== "string" || !NAME.test(prefix)) fail("prefix", "must be a DNS label");
  const platform = doc.platform === "kubernetes" ? "kubernetes" : "docker";
  const tiers = list(doc.tiers, "tiers").map((t, i) => {
    if (!isObject(t)) fail(`tiers.${i}`, "must be an object");
    return { name: name(t.name, `tiers.${i}.name`), internal: t.internal !== false };
  });
  const services = list(doc.services, "services").map((s, i) => {
    if (!isObject(s)) fail(`services.${i}`, "must be an object");
    return {
      name: name(s.name, `services.${i}.name`),
      tier: name(s.tier, `services.${i}.tier`),
      ports: ports(s.ports, `services.${i}.ports`),
    };
  });
  const known = new Set(services.map((s) => s.name));
  const pair = (p: unknown, path: string) => {
    if (!isObject(p)) fail(path, "must be an object");
    const from = name(p.from, `${path}.from`);
    const to = name(p.to, `${path}.to`);
    if (!known.has(from) || !known.has(to)) fail(path, "joins a service the topology does not list");
    return { from, to };
  };
  const edges = list(doc.edges, "edges").map((e, i) => ({
    ...pair(e, `edges.${i}`),
    ports: ports((e as Record<string, unknown>).ports, `edges.${i}.ports`),
  }));
  const reachable = list(doc.reachable, "reachable").map((p, i) => pair(p, `reachable.${i}`));
  const attachments: Record<string, string[]> = {};
  if (isObject(doc.attachments))
    for (const [service, nets] of Object.entries(doc.attachments)) {
      if (!known.has(service)) fail(`attachments.${service}`, "is not a service of the topology");
      attachments[service] = list(nets, `attachments.${service}`).map((n, i) => {
        if (typeof n !== "string" || !NETWORK.test(n))
          fail(`attachments.${service}.${i}`, "must be a network name");
        return n;
      });
    }
  return { prefix, platform, tiers, services, edges, reachable, attachments };
}

/**
 * The running containers of each topology service: those labelled with its name
 * (`shipshape.io/segment-service`, which a SecureService with `segment` sets) on its first network.
 */
export async function discoverContainers(
  topology: NetworkTopology,
  host?: string,
): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const s of topology.services) {
    const args = ["ps", "--filter", `label=${SEGMENT_SERVICE_LABEL}=${s.name}`, "--format", "{{.Names}}"];
    const first = topology.attachments[s.name]?.[0];
    if (first) args.splice(1, 0, "--filter", `network=${first}`);
    let stdout: string;
    try {
      ({ stdout } = await run("docker", host ? ["--host", host, ...args] : args));
    } catch (e) {
      throw new Error(
        `netcheck: cannot list containers (${
          String((e as { stderr?: string }).stderr ?? (e as Error).message)
            .trim()
            .split("\n")[0]
        }); is the engine running?`,
      );
    }
    out[s.name] = stdout.split("\n").filter((l) => l !== "");
  }
  return out;
}
