/**
 * `shipshape netcheck --create-policy`: the seed's per-service policy (who may connect in, where
 * it may connect to) as a file a stack imports into its SegmentedNetworks: the edges, in
 * SegmentedNetworks' own `edges` format (`edges: [...policy.edges]`), so the graph stays the one
 * place the network is declared and netcheck and the ConnectivityProbe measure it.
 */
import type { EdgeArgs } from "../components/segmented-networks/args";

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface ServicePolicyFile {
  /** The service the policy is about. */
  service: string;
  /** The edges to add to the SegmentedNetworks' `edges`. */
  edges: EdgeArgs[];
}

/** `name` or `name:port[+port…]`, or an error naming the option and the value. */
function peer(option: string, value: string): { name: string; ports?: number[] } {
  const [name = "", ports] = value.trim().split(":");
  if (!NAME.test(name))
    throw new Error(
      `option '${option}' ${JSON.stringify(value)}: a service name is lowercase letters, digits and '-' (a topology service), optionally with :port`,
    );
  if (ports === undefined) return { name };
  const list = ports.split("+").map(Number);
  if (list.some((p) => !Number.isInteger(p) || p < 1 || p > 65_535))
    throw new Error(
      `option '${option}' ${JSON.stringify(value)}: ports are 1–65535, joined with '+' (api:8080+8443)`,
    );
  return { name, ports: list };
}

/** The policy file of `service`: an edge from each ingress peer, and one to each egress peer. */
export function servicePolicy(
  service: string,
  ingress: readonly string[],
  egress: readonly string[],
): ServicePolicyFile {
  if (!NAME.test(service))
    throw new Error(
      `option '--service' ${JSON.stringify(service)} is not a service name: lowercase letters, digits and '-'`,
    );
  if (ingress.length + egress.length === 0)
    throw new Error("--create-policy needs --ingress or --egress (comma-separated service names)");
  const edges: EdgeArgs[] = [];
  const seen = new Set<string>();
  const add = (edge: EdgeArgs) => {
    const key = `${edge.from}>${edge.to}`;
    if (edge.from === edge.to) throw new Error(`a service needs no edge to itself (${edge.from})`);
    if (seen.has(key)) throw new Error(`the edge ${edge.from} → ${edge.to} is given twice`);
    seen.add(key);
    edges.push(edge);
  };
  for (const v of ingress) {
    const p = peer("--ingress", v);
    add({ from: p.name, to: service, ...(p.ports ? { ports: p.ports } : {}) });
  }
  for (const v of egress) {
    const p = peer("--egress", v);
    add({ from: service, to: p.name, ...(p.ports ? { ports: p.ports } : {}) });
  }
  return { service, edges };
}
