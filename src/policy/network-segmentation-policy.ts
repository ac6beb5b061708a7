import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isUnknownValue, unwrapPolicyProps } from "../adapters/pulumi";
import { DOCKER_CONTAINER_TYPE } from "../adapters/pulumi/docker-container";
import { DOCKER_NETWORK_TYPE } from "../adapters/pulumi/docker-objects";
import type { PolicyPackOptions } from "./options";

export const NETWORK_SEGMENTATION_POLICY = "network-segmentation";

/** Label of the service a network or container belongs to (SecureService writes it). */
export const SERVICE_LABEL = "shipshape.io/service";
/** Label listing, comma-separated, the services a network admits besides its owner. */
export const ALLOWED_SERVICES_LABEL = "shipshape.io/allowed-services";

type Obj = Record<string, unknown>;

function labelsOf(props: Obj): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of Array.isArray(props.labels) ? props.labels : []) {
    const { label, value } = (l ?? {}) as { label?: unknown; value?: unknown };
    if (typeof label === "string" && typeof value === "string") out[label] = value;
  }
  return out;
}

/** Which services may join a network; `undefined` when the network states no intent. */
function admitted(network: PolicyResource): Set<string> | undefined {
  const labels = labelsOf(unwrapPolicyProps(network.props));
  const owner = labels[SERVICE_LABEL];
  const allowed = labels[ALLOWED_SERVICES_LABEL];
  if (owner === undefined && allowed === undefined) return undefined;
  const out = new Set(
    (allowed ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
  if (owner !== undefined) out.add(owner);
  return out;
}

function nameOf(r: PolicyResource): string {
  const name = unwrapPolicyProps(r.props).name;
  return typeof name === "string" && !isUnknownValue(name) ? name : r.name;
}

/**
 * A container joined to a network whose owner (its `shipshape.io/service` label) or allow-list
 * (`shipshape.io/allowed-services`) does not admit it can reach every service on that network.
 * Networks without either label state no intent and are not judged. The network is found by
 * name, or, when the name is not known yet at preview, through the container's dependencies.
 */
export function networkSegmentationPolicy(options: PolicyPackOptions): StackValidationPolicy {
  return {
    name: NETWORK_SEGMENTATION_POLICY,
    description: "Containers join only the networks that admit them",
    displayName: "Network segmentation",
    severity: "high",
    enforcementLevel: options.levels[NETWORK_SEGMENTATION_POLICY] ?? "mandatory",
    remediationSteps: `Join only networks of the services this one talks to, and list it in the network's ${ALLOWED_SERVICES_LABEL} label where the connection is intended.`,
    tags: ["shipshape", "network"],
    validateStack: (args, report) => {
      const networks = args.resources.filter((r) => r.type === DOCKER_NETWORK_TYPE);
      const byName = new Map(networks.map((n) => [nameOf(n), n]));
      for (const c of args.resources) {
        if (c.type !== DOCKER_CONTAINER_TYPE) continue;
        const props = unwrapPolicyProps(c.props);
        const service = labelsOf(props)[SERVICE_LABEL] ?? c.name;
        const joined = new Set<PolicyResource>();
        for (const n of Array.isArray(props.networksAdvanced) ? props.networksAdvanced : []) {
          const name = (n as Obj | undefined)?.name;
          const network = typeof name === "string" ? byName.get(name) : undefined;
          if (network) joined.add(network);
        }
        for (const dep of c.propertyDependencies.networksAdvanced ?? []) {
          if (dep.type === DOCKER_NETWORK_TYPE) joined.add(dep);
        }
        for (const network of joined) {
          const allowed = admitted(network);
          if (allowed && !allowed.has(service)) {
            report(
              `container ${c.name} (service ${service}) joins network ${nameOf(network)}, which admits only ${[...allowed].join(", ")}`,
              c.urn,
            );
          }
        }
      }
    },
  };
}
