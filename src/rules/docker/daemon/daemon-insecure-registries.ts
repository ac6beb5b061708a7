import { defineRule, PlatformScope } from "../../rule";

export const daemonInsecureRegistries = defineRule({
  id: "daemon-insecure-registries",
  title: "The daemon uses no insecure registries",
  severity: "high",
  rationale:
    "An insecure registry is reached over plain HTTP or with unverified TLS, so anyone on the path can read or replace the images the daemon pulls.",
  remediation:
    "Remove the entry from `insecure-registries` and serve the registry over TLS with a certificate the daemon trusts (`/etc/docker/certs.d/<host>/ca.crt`).",
  references: { cis: ["2.5"] },
  targets: ["daemon"],
  platforms: PlatformScope.Docker,
  check(daemon) {
    return daemon.insecureRegistries.map((registry, i) => ({
      path: `insecureRegistries.${i}`,
      message: `registry "${registry}" is marked insecure: images pulled from it are not protected by TLS`,
    }));
  },
});
