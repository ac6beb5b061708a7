/**
 * Why: `spec.externalIPs` makes every node accept traffic for the listed addresses and route
 * it to the service. Anyone who can create a Service can use it to intercept traffic meant for
 * any IP (CVE-2020-8554, unfixed by design); legitimate uses are rare and better served by a
 * LoadBalancer.
 */
import { defineRule, PlatformScope } from "../rule";

export const serviceExternalIps = defineRule({
  id: "service-external-ips",
  title: "Services do not set externalIPs",
  severity: "medium",
  rationale:
    "externalIPs let a Service capture traffic addressed to arbitrary IPs on every node (CVE-2020-8554), a man-in-the-middle primitive for anyone allowed to create Services.",
  remediation:
    "Remove `spec.externalIPs`; use a LoadBalancer service or an Ingress, and block the field cluster-wide with the DenyServiceExternalIPs admission plugin.",
  references: {},
  targets: ["service"],
  platforms: PlatformScope.Kubernetes,
  check(s) {
    if (s.externalIPs.length === 0) return [];
    return [
      {
        path: "externalIPs",
        message: `Service sets externalIPs ${s.externalIPs.join(", ")}, which every node will intercept (CVE-2020-8554); remove them`,
      },
    ];
  },
});
