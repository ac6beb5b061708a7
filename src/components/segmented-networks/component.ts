import * as pulumi from "@pulumi/pulumi";
import { PlatformKind } from "../../platform/platform";
import type { SecretFileArgs } from "../secure-service/args";
import type { KubernetesTarget } from "../target";
import type { SegmentedNetworksArgs } from "./args";
import { createDockerNetworks } from "./docker-resources";
import { createKubernetesPolicies, topologyPolicies } from "./kubernetes";
import { createMtls, tlsSecretName } from "./mtls";
import { planSegments } from "./spec";
import type { NetworkTopology, ServicePair } from "./topology";

/** What `tlsFiles` checks against: kept off the instance, so the schema lists outputs only. */
const NAMES = new WeakMap<object, { component: string; services: string[]; mtls: boolean }>();

/**
 * Tiers, services and an allow-graph between them; default deny. On Docker the graph becomes
 * network attachments (one internal network per edge, one outside-facing network per tier that
 * is not internal, with inter-container traffic off), so a pair outside the graph shares no
 * network and cannot connect at all. On Kubernetes it becomes NetworkPolicies: default deny,
 * DNS egress, and exact ingress/egress per edge. SecureServices join it by name
 * (`segment: { networks: segments.attachments }`).
 */
export class SegmentedNetworks extends pulumi.ComponentResource {
  /** The name prefix of every network and policy. */
  readonly prefix: pulumi.Output<string>;
  /** The validated topology: what the ConnectivityProbe, `shipshape netcheck` and `shipshape graph` read. */
  readonly topology: pulumi.Output<NetworkTopology>;
  /** Docker: the networks each service joins, by service name (a SecureService's `segment.networks`). */
  readonly attachments: pulumi.Output<Record<string, string[]>>;
  /** Docker: every network created. */
  readonly networkNames: pulumi.Output<string[]>;
  /** Pairs that can connect on this platform (the probe's expectation). */
  readonly reachable: pulumi.Output<ServicePair[]>;
  /** Kubernetes: the NetworkPolicies' names. */
  readonly policyNames: pulumi.Output<string[]>;
  /** mTLS: the CA certificate (PEM) every service trusts; empty without `mtls`. */
  readonly caCertPem: pulumi.Output<string>;
  /**
   * mTLS: every service's key and certificate, as `<service>.key` / `<service>.crt` (one Pulumi
   * secret), to mount with SecureService `secretFiles`; empty without `mtls`.
   */
  readonly tlsSecrets: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: SegmentedNetworksArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before anything is registered, the component itself included.
    const plan = planSegments(name, args);
    super("shipshape:index:SegmentedNetworks", name, { ...args }, opts);
    const t = plan.topology;
    NAMES.set(this, {
      component: name,
      services: t.services.map((s) => s.name),
      mtls: plan.mtls !== undefined,
    });
    if (plan.mtls) {
      const mtls = createMtls(name, t.prefix, t.services, plan.mtls, this);
      this.caCertPem = mtls.caCertPem;
      this.tlsSecrets = mtls.store.values;
    } else {
      this.caCertPem = pulumi.output("");
      this.tlsSecrets = pulumi.secret(pulumi.output({} as Record<string, string>));
    }
    this.prefix = pulumi.output(t.prefix);
    this.topology = pulumi.output(t);
    this.reachable = pulumi.output(t.reachable);
    if (plan.target.kind === PlatformKind.Docker) {
      const networks = createDockerNetworks(name, plan.dockerNetworks, this);
      const byName = new Map(plan.dockerNetworks.map((p, i) => [p.name, networks[i]]));
      this.networkNames = pulumi.all(networks.map((n) => n.name));
      // Each service's list resolves once its networks exist, so a container that joins them waits for them.
      this.attachments = pulumi.all(
        Object.fromEntries(
          Object.entries(t.attachments).map(([service, names]) => [
            service,
            pulumi.all(names.map((n) => (byName.get(n) as (typeof networks)[number]).name)),
          ]),
        ),
      ) as pulumi.Output<Record<string, string[]>>;
      this.policyNames = pulumi.output([]);
    } else {
      const policies = createKubernetesPolicies(topologyPolicies(t, plan.target as KubernetesTarget), this);
      this.policyNames = pulumi.all(policies.map((p) => p.metadata.name));
      this.networkNames = pulumi.output([]);
      this.attachments = pulumi.output(t.attachments);
    }
    this.registerOutputs({
      prefix: this.prefix,
      topology: this.topology,
      attachments: this.attachments,
      networkNames: this.networkNames,
      reachable: this.reachable,
      policyNames: this.policyNames,
      caCertPem: this.caCertPem,
      tlsSecrets: this.tlsSecrets,
    });
  }

  /**
   * A service's mTLS files for SecureService `secretFiles` (TypeScript convenience; from other
   * languages mount `tlsSecrets["<service>.key"]` and the others): its key at
   * /run/secrets/tls.key, its certificate at /run/secrets/tls.crt, the CA at /run/secrets/ca.crt.
   */
  tlsFiles(service: string): SecretFileArgs[] {
    const names = NAMES.get(this) as { component: string; services: string[]; mtls: boolean };
    if (!names.services.includes(service))
      throw new Error(
        `SegmentedNetworks ${names.component} has no service "${service}"; it has ${names.services.map((n) => `"${n}"`).join(", ")}`,
      );
    if (!names.mtls)
      throw new Error(`SegmentedNetworks ${names.component} issues no certificates: give it mtls: {}`);
    // As SecretStore.value: unknown while previewing (and under mocks), the PEM once issued.
    const secret = (key: string) => pulumi.secret(this.tlsSecrets.apply((v) => v[key] as string));
    return [
      { value: secret(tlsSecretName(service, "key")), path: "/run/secrets/tls.key" },
      { value: secret(tlsSecretName(service, "crt")), path: "/run/secrets/tls.crt" },
      { value: this.caCertPem, path: "/run/secrets/ca.crt" },
    ];
  }
}
