import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { Manifest } from "../secure-service/kubernetes";
import type { KubernetesTarget } from "../target";
import type { NetworkTopology } from "./topology";

/** The pod label SecureService sets to its name: what the policies select. */
const POD_NAME = "app.kubernetes.io/name";
/** Private address ranges: "the outside" of a tier that talks to it is everything else. */
const CLUSTER_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/**
 * The NetworkPolicies of a topology: default deny (ingress and egress) for every pod of the
 * namespace, DNS egress to kube-dns for every pod (a default deny that forgets it breaks name
 * resolution everywhere), one ingress and one egress policy per edge with its exact ports, and
 * outside access for the tiers that are not internal.
 */
export function topologyPolicies(topology: NetworkTopology, target: KubernetesTarget): Manifest[] {
  const p = topology.prefix;
  const meta = (name: string) => ({
    name,
    namespace: target.namespace,
    labels: { "app.kubernetes.io/managed-by": "shipshape", "shipshape.io/segment": p },
  });
  const policy = (name: string, spec: Record<string, unknown>): Manifest => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: meta(name),
    spec,
  });
  const pods = (service: string) => ({ matchLabels: { [POD_NAME]: service } });
  const tcp = (ports: number[]) => ports.map((port) => ({ port, protocol: "TCP" }));
  const out: Manifest[] = [
    policy(`${p}-default-deny`, { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    policy(`${p}-dns`, {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { port: 53, protocol: "UDP" },
            { port: 53, protocol: "TCP" },
          ],
        },
      ],
    }),
  ];
  for (const e of topology.edges) {
    out.push(
      policy(`${p}-${e.to}.from.${e.from}`, {
        podSelector: pods(e.to),
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: pods(e.from) }], ports: tcp(e.ports) }],
      }),
      policy(`${p}-${e.from}.to.${e.to}`, {
        podSelector: pods(e.from),
        policyTypes: ["Egress"],
        egress: [{ to: [{ podSelector: pods(e.to) }], ports: tcp(e.ports) }],
      }),
    );
  }
  for (const t of topology.tiers) {
    if (t.internal) continue;
    const members = topology.services.filter((s) => s.tier === t.name);
    if (members.length === 0) continue;
    const outside = [{ ipBlock: { cidr: "0.0.0.0/0", except: CLUSTER_RANGES } }];
    out.push(
      policy(`${p}-tier.${t.name}.outside`, {
        podSelector: {
          matchExpressions: [{ key: POD_NAME, operator: "In", values: members.map((m) => m.name) }],
        },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: outside }],
        egress: [{ to: outside }],
      }),
    );
  }
  return out;
}

/** The policies as Kubernetes resources, children of `parent`. */
export function createKubernetesPolicies(
  manifests: Manifest[],
  parent: pulumi.Resource,
): k8s.networking.v1.NetworkPolicy[] {
  return manifests.map(
    (m) =>
      new k8s.networking.v1.NetworkPolicy(
        m.metadata.name,
        { metadata: m.metadata, spec: m.spec } as k8s.networking.v1.NetworkPolicyArgs,
        { parent },
      ),
  );
}
