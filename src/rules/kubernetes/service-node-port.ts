/**
 * Why: a NodePort service opens the port on every node's addresses, bypassing whatever
 * load balancer, firewall or ingress controller was meant to be the only way in; a
 * LoadBalancer service does the same (it allocates node ports by default) and also asks the
 * cloud for a public address. Internal services should be ClusterIP behind an Ingress/Gateway.
 */
import { defineRule, PlatformScope } from "../rule";

const EXPOSED_TYPES = new Set(["NodePort", "LoadBalancer"]);

export const serviceNodePort = defineRule({
  id: "service-node-port",
  title: "Services are not exposed on node ports or external load balancers",
  severity: "low",
  rationale:
    "NodePort and LoadBalancer services are reachable on every node (and, for LoadBalancer, on a public address), bypassing the ingress layer where TLS, authentication and rate limits usually live.",
  remediation:
    "Use `type: ClusterIP` and expose the service through an Ingress or Gateway; if it must be reachable from outside, suppress this rule on it with the reason.",
  references: {
    kubeLinter: ["exposed-services"],
  },
  targets: ["service"],
  platforms: PlatformScope.Kubernetes,
  check(s) {
    if (!EXPOSED_TYPES.has(s.type)) return [];
    return [
      {
        path: "type",
        message:
          s.type === "NodePort"
            ? `Service type NodePort opens port(s) ${s.ports.map((p) => p.nodePort ?? "(auto)").join(", ")} on every node; use ClusterIP behind an Ingress or Gateway`
            : "Service type LoadBalancer is exposed on an external address and on a node port of every node; use ClusterIP behind an Ingress or Gateway unless it must be public",
      },
    ];
  },
});
