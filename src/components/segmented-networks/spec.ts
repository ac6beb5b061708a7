import { z } from "zod";
import { PlatformKind } from "../../platform/platform";
import { resolveTarget, type Target } from "../target";
import { dnsLabel, port, wholeNumber } from "../validation/fields";
import {
  type ArgsIssue,
  ComponentArgsError,
  containsUnknown,
  resourceNameIssues,
} from "../validation/issues";
import { argsIssuesFromZod } from "../validation/zod-issues";
import type { SegmentedNetworksArgs } from "./args";
import { type Cidr, overlaps, parseCidr } from "./subnets";
import {
  edgeNetworkName,
  type NetworkTopology,
  pairKey,
  type ServicePair,
  type TopologyEdge,
  type TopologyService,
  tierNetworkName,
} from "./topology";

/** Invalid SegmentedNetworks args (see ComponentArgsError). */
export class SegmentedNetworksArgsError extends ComponentArgsError {
  constructor(name: string, issues: ArgsIssue[]) {
    super("SegmentedNetworks", name, issues);
    this.name = "SegmentedNetworksArgsError";
  }
}

/** mTLS certificate lifetimes, defaulted and checked. */
export interface MtlsPlan {
  validityHours: number;
  earlyRenewalHours: number;
  caValidityHours: number;
  caEarlyRenewalHours: number;
}

/** One Docker network of the plan. */
export interface DockerNetworkPlan {
  name: string;
  /** Internal networks have no route to the outside. */
  internal: boolean;
  /** Inter-container traffic on the network: on for an edge's two services, off on a tier network. */
  icc: boolean;
  subnet?: string;
  /** The args field that gave the subnet, for messages. */
  subnetPath?: string;
  labels: Record<string, string>;
}

/** Everything the backends need, validated and defaulted. */
export interface SegmentPlan {
  target: Target;
  /** Certificate lifetimes, when mTLS is on. */
  mtls?: MtlsPlan;
  topology: NetworkTopology;
  dockerNetworks: DockerNetworkPlan[];
}

const portList = (what: string) =>
  z.array(port(`${what} item`), { error: `${what} must be a list of port numbers, e.g. [8080]` }).optional();

const schema = z.strictObject({
  docker: z.any().optional(),
  kubernetes: z.any().optional(),
  prefix: dnsLabel("prefix", "shop").max(40, { error: "prefix must be at most 40 characters" }).optional(),
  tiers: z
    .array(
      z.strictObject({
        name: dnsLabel("tier name", "data"),
        internal: z.boolean({ error: "internal must be true or false" }).optional(),
        subnet: z.string({ error: 'subnet must be a string such as "10.20.0.0/24"' }).optional(),
      }),
      { error: 'tiers must be a list of tiers, e.g. [{ name: "edge", internal: false }, { name: "data" }]' },
    )
    .min(1, { error: 'give at least one tier, e.g. tiers: [{ name: "app" }]' }),
  services: z
    .array(
      z.strictObject({
        name: dnsLabel("service name", "api"),
        tier: z.string({ error: "tier must name one of tiers[].name" }),
        ports: portList("ports"),
      }),
      { error: 'services must be a list, e.g. [{ name: "api", tier: "app", ports: [8080] }]' },
    )
    .min(1, { error: 'give at least one service, e.g. services: [{ name: "api", tier: "app" }]' }),
  edges: z
    .array(
      z.strictObject({
        from: z.string({ error: "from must name one of services[].name" }),
        to: z.string({ error: "to must name one of services[].name" }),
        ports: portList("ports"),
        subnet: z.string({ error: 'subnet must be a string such as "10.20.1.0/28"' }).optional(),
      }),
      { error: 'edges must be a list, e.g. [{ from: "web", to: "api" }]' },
    )
    .optional(),
  mtls: z
    .strictObject(
      {
        validityHours: wholeNumber("mtls.validityHours", 1, 8760).optional(),
        earlyRenewalHours: wholeNumber("mtls.earlyRenewalHours", 0, 8760).optional(),
        caValidityHours: wholeNumber("mtls.caValidityHours", 1, 87600).optional(),
        caEarlyRenewalHours: wholeNumber("mtls.caEarlyRenewalHours", 0, 87600).optional(),
      },
      { error: "mtls must be an object, e.g. mtls: {} for the defaults" },
    )
    .optional(),
});

type Parsed = z.infer<typeof schema>;

/**
 * Validates the args and plans the topology. Throws `SegmentedNetworksArgsError` listing every
 * problem (field path, bad value, fix) before anything is registered.
 */
export function planSegments(name: string, args: SegmentedNetworksArgs): SegmentPlan {
  const issues: ArgsIssue[] = resourceNameIssues(name, "the default prefix of network and policy names");
  if (args === null || typeof args !== "object")
    throw new SegmentedNetworksArgsError(String(name), [
      ...issues,
      {
        path: "",
        value: args,
        message: "args must be an object with docker or kubernetes, tiers and services",
      },
    ]);
  const resolved = resolveTarget(args, { required: true, component: "SegmentedNetworks" });
  issues.push(...resolved.issues);
  for (const field of ["prefix", "tiers", "services", "edges", "mtls"] as const)
    if (containsUnknown(args[field]))
      issues.push({
        path: field,
        value: args[field],
        message: `${field} decides which networks and policies are created, so it must be plain values known when the program runs (not Outputs or Promises)`,
      });
  if (issues.some((i) => i.path !== "name")) throw new SegmentedNetworksArgsError(String(name), issues);
  const parsed = schema.safeParse(args);
  if (!parsed.success) {
    issues.push(...argsIssuesFromZod(parsed.error, args, "SegmentedNetworksArgs"));
    throw new SegmentedNetworksArgsError(String(name), issues);
  }
  const target = resolved.target as Target;
  if (target.kind === PlatformKind.Docker && target.networks.length > 0)
    issues.push({
      path: "docker.networks",
      value: target.networks,
      message: "a SegmentedNetworks creates its own networks: leave docker.networks out (docker: {})",
    });
  const plan = assemble(parsed.data.prefix ?? name, target, parsed.data, issues);
  if (issues.length > 0) throw new SegmentedNetworksArgsError(String(name), issues);
  return plan;
}

function assemble(prefix: string, target: Target, a: Parsed, issues: ArgsIssue[]): SegmentPlan {
  const tierByName = new Map<string, Parsed["tiers"][number]>();
  a.tiers.forEach((t, i) => {
    if (tierByName.has(t.name))
      issues.push({
        path: `tiers.${i}.name`,
        value: t.name,
        message: "tier names must be unique; rename one",
      });
    tierByName.set(t.name, t);
    if (t.subnet !== undefined && (t.internal ?? true))
      issues.push({
        path: `tiers.${i}.subnet`,
        value: t.subnet,
        message:
          "an internal tier has no network of its own (its services meet only on their edges' networks): give the subnet to its edges, or set internal: false",
      });
  });
  const tierNames = [...tierByName.keys()];
  const serviceByName = new Map<string, TopologyService>();
  a.services.forEach((s, i) => {
    if (serviceByName.has(s.name))
      issues.push({
        path: `services.${i}.name`,
        value: s.name,
        message: "service names must be unique; rename one",
      });
    if (!tierByName.has(s.tier))
      issues.push({
        path: `services.${i}.tier`,
        value: s.tier,
        message: `unknown tier; use one of ${tierNames.map((t) => JSON.stringify(t)).join(", ")}`,
      });
    const ports = s.ports ?? [];
    if (new Set(ports).size !== ports.length)
      issues.push({ path: `services.${i}.ports`, value: ports, message: "list each port once" });
    serviceByName.set(s.name, { name: s.name, tier: s.tier, ports: [...ports] });
  });
  const serviceNames = [...serviceByName.keys()];
  const known = serviceNames.map((n) => JSON.stringify(n)).join(", ");
  const edges: (TopologyEdge & { index: number; subnet?: string })[] = [];
  const seen = new Set<string>();
  (a.edges ?? []).forEach((e, i) => {
    let ok = true;
    for (const side of ["from", "to"] as const)
      if (!serviceByName.has(e[side])) {
        ok = false;
        issues.push({
          path: `edges.${i}.${side}`,
          value: e[side],
          message: `unknown service; an edge joins two of services[].name (${known}): add the service or fix the name`,
        });
      }
    if (!ok) return;
    if (e.from === e.to) {
      issues.push({
        path: `edges.${i}.to`,
        value: e.to,
        message: "an edge joins two different services; a service always reaches itself",
      });
      return;
    }
    const key = pairKey(e);
    if (seen.has(key))
      issues.push({
        path: `edges.${i}`,
        value: e,
        message: `${e.from} → ${e.to} is declared twice; list its ports in one edge`,
      });
    seen.add(key);
    const target = serviceByName.get(e.to) as TopologyService;
    const ports = e.ports ?? target.ports;
    for (const p of ports)
      if (!target.ports.includes(p))
        issues.push({
          path: `edges.${i}.ports`,
          value: e.ports,
          message: `${e.to} does not listen on ${p}: its ports are [${target.ports.join(", ")}]; add the port to services[].ports or drop it here`,
        });
    const edge: TopologyEdge & { index: number; subnet?: string } = {
      from: e.from,
      to: e.to,
      ports: [...ports],
      index: i,
    };
    if (e.subnet !== undefined) edge.subnet = e.subnet;
    edges.push(edge);
  });
  checkInternalTiers(edges, serviceByName, tierByName, issues);
  checkSubnets(a, issues);
  const mtls = a.mtls && mtlsPlan(a.mtls, issues);

  const tiers = a.tiers.map((t) => {
    const tier: NetworkTopology["tiers"][number] = { name: t.name, internal: t.internal ?? true };
    if (t.subnet !== undefined) tier.subnet = t.subnet;
    return tier;
  });
  const services = [...serviceByName.values()];
  const reachable: ServicePair[] = [];
  const reachableKeys = new Set<string>();
  const add = (p: ServicePair) => {
    if (!reachableKeys.has(pairKey(p))) {
      reachableKeys.add(pairKey(p));
      reachable.push(p);
    }
  };
  const docker = target.kind === PlatformKind.Docker;
  for (const e of edges) {
    add({ from: e.from, to: e.to });
    if (docker) add({ from: e.to, to: e.from });
  }
  const attachments: Record<string, string[]> = Object.fromEntries(
    services.map((s) => [s.name, [] as string[]]),
  );
  const dockerNetworks: DockerNetworkPlan[] = [];
  if (docker) {
    for (const t of tiers) {
      if (t.internal) continue;
      const members = services.filter((s) => s.tier === t.name);
      if (members.length === 0) continue;
      const net: DockerNetworkPlan = {
        name: tierNetworkName(prefix, t.name),
        internal: false,
        icc: false,
        labels: { "shipshape.io/segment": prefix, "shipshape.io/segment-tier": t.name },
      };
      if (t.subnet !== undefined) {
        net.subnet = t.subnet;
        net.subnetPath = `tiers.${a.tiers.findIndex((x) => x.name === t.name)}.subnet`;
      }
      dockerNetworks.push(net);
      for (const m of members) attachments[m.name]?.push(net.name);
    }
    const byNetwork = new Map<string, DockerNetworkPlan>();
    for (const e of edges) {
      const name = edgeNetworkName(prefix, e.from, e.to);
      const existing = byNetwork.get(name);
      if (existing) {
        // The reverse edge shares the network: both directions are recorded on it.
        existing.labels["shipshape.io/segment-edge"] =
          `${existing.labels["shipshape.io/segment-edge"]},${e.from}>${e.to}`.split(",").sort().join(",");
        if (e.subnet !== undefined && existing.subnet !== undefined && existing.subnet !== e.subnet)
          issues.push({
            path: `edges.${e.index}.subnet`,
            value: e.subnet,
            message: `${e.from} → ${e.to} and its reverse share one network; give them one subnet`,
          });
        if (e.subnet !== undefined) {
          existing.subnet = e.subnet;
          existing.subnetPath = `edges.${e.index}.subnet`;
        }
        continue;
      }
      const net: DockerNetworkPlan = {
        name,
        internal: true,
        icc: true,
        labels: { "shipshape.io/segment": prefix, "shipshape.io/segment-edge": `${e.from}>${e.to}` },
      };
      if (e.subnet !== undefined) {
        net.subnet = e.subnet;
        net.subnetPath = `edges.${e.index}.subnet`;
      }
      byNetwork.set(name, net);
      dockerNetworks.push(net);
      attachments[e.from]?.push(name);
      attachments[e.to]?.push(name);
    }
    // A service with no edge and no outside route still gets a network: one of its own, internal,
    // so its container never falls back to Docker's default bridge.
    for (const s of services)
      if ((attachments[s.name] ?? []).length === 0) {
        const net: DockerNetworkPlan = {
          name: `${prefix}-solo-${s.name}`,
          internal: true,
          icc: false,
          labels: { "shipshape.io/segment": prefix, "shipshape.io/segment-solo": s.name },
        };
        dockerNetworks.push(net);
        attachments[s.name] = [net.name];
      }
  }
  const plan: SegmentPlan = {
    target,
    topology: {
      prefix,
      platform: docker ? "docker" : "kubernetes",
      tiers,
      services,
      edges: edges.map((e) => ({ from: e.from, to: e.to, ports: e.ports })),
      reachable,
      attachments,
    },
    dockerNetworks,
  };
  if (mtls) plan.mtls = mtls;
  return plan;
}

function mtlsPlan(m: NonNullable<Parsed["mtls"]>, issues: ArgsIssue[]): MtlsPlan {
  const plan: MtlsPlan = {
    validityHours: m.validityHours ?? 720,
    earlyRenewalHours: m.earlyRenewalHours ?? 168,
    caValidityHours: m.caValidityHours ?? 8760,
    caEarlyRenewalHours: m.caEarlyRenewalHours ?? 720,
  };
  if (m.earlyRenewalHours === undefined && plan.validityHours <= plan.earlyRenewalHours)
    plan.earlyRenewalHours = Math.floor(plan.validityHours / 4);
  if (plan.earlyRenewalHours > plan.validityHours)
    issues.push({
      path: "mtls.earlyRenewalHours",
      value: plan.earlyRenewalHours,
      message: `renewal starts before the certificate does: give at most validityHours (${plan.validityHours})`,
    });
  if (plan.caValidityHours < plan.validityHours)
    issues.push({
      path: "mtls.caValidityHours",
      value: plan.caValidityHours,
      message: `the CA must outlive the certificates it signs: give at least validityHours (${plan.validityHours})`,
    });
  if (m.caEarlyRenewalHours === undefined && plan.caValidityHours <= plan.caEarlyRenewalHours)
    plan.caEarlyRenewalHours = Math.floor(plan.caValidityHours / 4);
  if (plan.caEarlyRenewalHours > plan.caValidityHours)
    issues.push({
      path: "mtls.caEarlyRenewalHours",
      value: plan.caEarlyRenewalHours,
      message: `renewal starts before the CA does: give at most caValidityHours (${plan.caValidityHours})`,
    });
  return plan;
}

/**
 * An internal tier never talks to the outside. An edge from one of its services to a service of
 * a tier that does would hand it a way out (and, with the edges into the internal tier, a cycle
 * through which the outside reaches it both ways): rejected, naming the cycle when there is one.
 */
function checkInternalTiers(
  edges: (TopologyEdge & { index: number })[],
  services: Map<string, TopologyService>,
  tiers: Map<string, { internal?: boolean | undefined }>,
  issues: ArgsIssue[],
): void {
  const internal = (service: string) => tiers.get(services.get(service)?.tier ?? "")?.internal ?? true;
  for (const e of edges) {
    if (!internal(e.from) || internal(e.to)) continue;
    const fromTier = services.get(e.from)?.tier;
    const toTier = services.get(e.to)?.tier;
    const back = pathBetween(edges, e.to, e.from);
    const cycle = back ? ` closes the cycle ${[e.from, ...back].join(" → ")} and` : "";
    issues.push({
      path: `edges.${e.index}`,
      value: { from: e.from, to: e.to },
      message: `${e.from} (internal tier "${fromTier}") → ${e.to} (tier "${toTier}", which talks to the outside)${cycle} would make the internal tier public: declare the connection from the outer tier inward (${e.to} → ${e.from}), or set internal: false on tier "${fromTier}"`,
    });
  }
}

/** A directed path of edges from `start` to `goal` (both included), or undefined. */
function pathBetween(edges: TopologyEdge[], start: string, goal: string): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [start];
  const visited = new Set([start]);
  while (queue.length > 0) {
    const at = queue.shift() as string;
    if (at === goal) {
      const path = [at];
      let p = at;
      while (previous.has(p)) {
        p = previous.get(p) as string;
        path.unshift(p);
      }
      return path;
    }
    for (const e of edges)
      if (e.from === at && !visited.has(e.to)) {
        visited.add(e.to);
        previous.set(e.to, at);
        queue.push(e.to);
      }
  }
  return undefined;
}

/** Every given subnet is valid and overlaps no other one. */
function checkSubnets(a: Parsed, issues: ArgsIssue[]): void {
  const given: { path: string; cidr: Cidr }[] = [];
  const consider = (path: string, text: string | undefined) => {
    if (text === undefined) return;
    const parsed = parseCidr(text);
    if (typeof parsed === "string") {
      issues.push({ path, value: text, message: `subnet ${parsed}` });
      return;
    }
    const clash = given.find((g) => overlaps(g.cidr, parsed));
    if (clash)
      issues.push({
        path,
        value: text,
        message: `overlaps ${clash.cidr.text} of ${clash.path}: every network needs its own addresses; pick a subnet outside it`,
      });
    given.push({ path, cidr: parsed });
  };
  a.tiers.forEach((t, i) => {
    consider(`tiers.${i}.subnet`, t.subnet);
  });
  (a.edges ?? []).forEach((e, i) => {
    consider(`edges.${i}.subnet`, e.subnet);
  });
}
