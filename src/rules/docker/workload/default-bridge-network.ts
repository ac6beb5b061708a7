import { defineRule, PlatformScope } from "../../rule";

export const defaultBridgeNetwork = defineRule({
  id: "default-bridge-network",
  title: "Containers do not use the default bridge (docker0)",
  severity: "low",
  rationale:
    "Every container on docker0 shares one flat network with no isolation between them, and the bridge is open to ARP spoofing and MAC flooding between neighbours.",
  remediation:
    "Attach the container to a user-defined network (Compose does this by default; remove `network_mode: bridge`), one per group of services that must talk.",
  references: { cis: ["5.30"], kics: ["ce14a68b-1668-41a0-ab7d-facd9f784742"] },
  targets: ["workload"],
  platforms: PlatformScope.Docker,
  check(w) {
    const onDefaultBridge = (n: string) => ["bridge", "default"].includes(n.toLowerCase());
    // The Docker provider (and the Engine API) keep mode "bridge" while attaching the container
    // only to the user-defined networks it names; the networks it is on decide.
    const userNetworksOnly = w.networks.length > 0 && !w.networks.some(onDefaultBridge);
    if (w.networkMode !== undefined && onDefaultBridge(w.networkMode) && !userNetworksOnly) {
      return [
        { path: "networkMode", message: `network mode "${w.networkMode}" puts the container on docker0` },
      ];
    }
    // A plain `docker run` (no network, no mode) lands on docker0; Compose always records its own network.
    if (w.networkMode === undefined && w.networks.length === 0) {
      return [
        {
          path: "networks",
          message: "no network is given, so the container joins the default bridge docker0",
        },
      ];
    }
    return [];
  },
});
