/**
 * The validated topology of a SegmentedNetworks: tiers, services, the allow-graph, and what each
 * platform makes of it (Docker networks and attachments, the reachable pairs). Plain data: the
 * ConnectivityProbe and `shipshape netcheck` / `shipshape graph` read it back from the stack's
 * `topology` output.
 */

/** One tier, defaulted. */
export interface TopologyTier {
  name: string;
  internal: boolean;
  subnet?: string;
}

/** One service in the topology, defaulted. */
export interface TopologyService {
  name: string;
  tier: string;
  ports: number[];
}

/** One allowed connection, defaulted: the ports are always listed. */
export interface TopologyEdge {
  from: string;
  to: string;
  ports: number[];
}

/** An ordered pair of services. */
export interface ServicePair {
  from: string;
  to: string;
}

/** The topology as the `topology` output carries it. */
export interface NetworkTopology {
  /** The name prefix of every network and policy. */
  prefix: string;
  /** "docker" or "kubernetes". */
  platform: string;
  tiers: TopologyTier[];
  services: TopologyService[];
  edges: TopologyEdge[];
  /**
   * Pairs that can connect on this platform. Kubernetes: exactly the edges. Docker: each edge in
   * both directions, since a network joins two services both ways (see the README).
   */
  reachable: ServicePair[];
  /** Docker: the networks each service joins, by service name. Kubernetes: empty lists. */
  attachments: Record<string, string[]>;
}

/** The Docker network that carries one edge (both directions share it). */
export function edgeNetworkName(prefix: string, a: string, b: string): string {
  const [x, y] = a < b ? [a, b] : [b, a];
  return `${prefix}-edge-${x}.${y}`;
}

/** The Docker network of a tier that talks to the outside. */
export function tierNetworkName(prefix: string, tier: string): string {
  return `${prefix}-tier-${tier}`;
}

/** Labels on every Docker network and Kubernetes policy of a topology. */
export const SEGMENT_LABEL = "shipshape.io/segment";
/** The declared direction(s) an edge network carries, e.g. "web>api". */
export const SEGMENT_EDGE_LABEL = "shipshape.io/segment-edge";
/** The tier a tier network belongs to. */
export const SEGMENT_TIER_LABEL = "shipshape.io/segment-tier";
/** On a SecureService's containers: the topology service they are. */
export const SEGMENT_SERVICE_LABEL = "shipshape.io/segment-service";

/** `key` of an ordered pair, for sets. */
export function pairKey(p: ServicePair): string {
  return `${p.from}>${p.to}`;
}
