export * from "./args";
export * from "./component";
export { SegmentedNetworksArgsError } from "./spec";
export type { NetworkTopology, ServicePair, TopologyEdge, TopologyService, TopologyTier } from "./topology";
