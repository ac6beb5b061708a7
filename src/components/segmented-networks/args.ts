import type { DockerTargetArgs } from "../../platform/docker-target";
import type { KubernetesTargetArgs } from "../../platform/kubernetes-target";

/** A tier: a zone of services with the same exposure (e.g. edge, app, data). */
export interface TierArgs {
  /** The tier's name: lowercase letters, digits and '-' (a DNS label), e.g. "data". */
  name: string;
  /**
   * The tier has no route to the outside: its services reach only their allowed peers. A tier
   * that talks to the outside (or publishes ports on the host) says `internal: false` and gets a
   * network of its own with an outside route, on which its services cannot reach each other.
   * @default true (safe: nothing leaves unless a tier says so)
   */
  internal?: boolean;
  /**
   * Docker: the IPv4 subnet (CIDR) of the tier's own network; only a tier with `internal: false`
   * has one. Subnets may not overlap each other (checked before anything is registered).
   * @default allocated by the engine from its address pools
   */
  subnet?: string;
}

/** A service in the topology: who it is, its tier, and the ports peers connect to. */
export interface TopologyServiceArgs {
  /**
   * The service's name. A SecureService joins under this name (its `segment.service`, by default
   * its own name); on Kubernetes it is the pods' `app.kubernetes.io/name`, which SecureService
   * sets to its own name.
   */
  name: string;
  /** The tier it belongs to, one of `tiers[].name`. */
  tier: string;
  /** TCP ports the service listens on for its peers (what edges allow and the probe measures). @default [] */
  ports?: number[];
}

/** An allowed connection: `from` may open TCP connections to `to`. Everything else is denied. */
export interface EdgeArgs {
  /** The service that connects (a `services[].name`). */
  from: string;
  /** The service it connects to (a `services[].name`). */
  to: string;
  /**
   * Ports of `to` allowed. Kubernetes enforces them; Docker cannot (a network joins two services
   * on every port, both ways: see the README).
   * @default every port of `to`
   */
  ports?: number[];
  /**
   * Docker: the IPv4 subnet (CIDR) of the edge's network.
   * @default allocated by the engine from its address pools
   */
  subnet?: string;
}

/**
 * Mutual TLS between the services: a CA and one certificate per service (SANs: its topology
 * name, and the SecureService container name `<prefix>-<service>`), from `@pulumi/tls`, kept in a
 * SecretStore so services mount them as secret files. A certificate within `earlyRenewalHours`
 * of its end is replaced by the next `pulumi up` (and with it the services that mount it).
 */
export interface MtlsArgs {
  /** Hours a service certificate is valid (1 to 8760). @default 720 (30 days) */
  validityHours?: number;
  /**
   * Hours before a service certificate's end at which `pulumi up` replaces it (at most
   * validityHours). @default 168 (7 days): a weekly `up` always renews in time
   */
  earlyRenewalHours?: number;
  /** Hours the CA certificate is valid (at least validityHours). @default 8760 (one year) */
  caValidityHours?: number;
  /** Hours before the CA's end at which `pulumi up` replaces it (and every certificate it signed). @default 720 (30 days) */
  caEarlyRenewalHours?: number;
}

/**
 * The args of a SegmentedNetworks: tiers, services and the allow-graph between them. All plain
 * values: they decide which networks and policies exist.
 */
export interface SegmentedNetworksArgs {
  /**
   * Create Docker networks on the provider's engine (give exactly one of `docker` and `kubernetes`).
   * @default none
   */
  docker?: DockerTargetArgs;
  /**
   * Create NetworkPolicies in a namespace (give exactly one of `docker` and `kubernetes`).
   * @default none
   */
  kubernetes?: KubernetesTargetArgs;
  /**
   * Prefix of every network's and policy's name, and the label that finds them again
   * (`shipshape netcheck --segment`).
   * @default the resource name
   */
  prefix?: string;
  /** The tiers, outermost first. At least one. */
  tiers: TierArgs[];
  /** The services placed in the tiers. At least one. */
  services: TopologyServiceArgs[];
  /** The allowed connections. @default [] (default deny: nothing talks to anything) */
  edges?: EdgeArgs[];
  /** Issue mTLS certificates to every service. @default none (no certificates) */
  mtls?: MtlsArgs;
}
