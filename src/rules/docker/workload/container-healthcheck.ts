import { defineRule, PlatformScope } from "../../rule";

/**
 * CIS 4.6 asks for a HEALTHCHECK in the image. A running container's inspect data shows the
 * health check it really has (the image's, or one given at `docker run`), so the live audit can
 * answer it. A Compose file or a `docker.Container` cannot: the image's health check is not in
 * them (images are checked by `dockerfile-healthcheck`), so this rule looks at live containers only.
 */
export const containerHealthcheck = defineRule({
  id: "container-healthcheck",
  title: "Running containers have a health check",
  severity: "low",
  rationale:
    "Without a health check the engine only knows whether the process exists; a hung or broken service keeps running, and restart policies and orchestrators cannot replace it.",
  remediation:
    "Add a HEALTHCHECK to the image (or `--health-cmd` / Compose `healthcheck:` / SecureService `healthCheck`), and do not disable it with `--no-healthcheck`.",
  references: { cis: ["4.6"] },
  targets: ["workload"],
  platforms: PlatformScope.Docker,
  check(w) {
    if (w.origin.format !== "docker-engine") return [];
    return w.containers.flatMap((c, i) => {
      const check = c.probes.find((p) => p.kind === "healthcheck");
      if (check && !check.disabled) return [];
      return [
        {
          path: `containers.${i}.probes`,
          message: check
            ? `container "${c.name}" has its health check disabled`
            : `container "${c.name}" has no health check (none in its image, none given at run)`,
        },
      ];
    });
  },
});
