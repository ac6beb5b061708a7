import { defineRule, PlatformScope } from "../../rule";

/**
 * CIS 4.6 asks for a HEALTHCHECK in the image. A running container's inspect data shows the
 * health check it really has (the image's, or one given at `docker run`), so the live audit can
 * answer it. A Compose file or a `docker.Container` cannot tell a missing health check: the
 * image's is not in them (images are checked by `dockerfile-healthcheck`). What they do show is
 * a health check switched off (`healthcheck: { disable: true }`, `test: [NONE]`), and that is
 * reported there — KICS' Compose query for it is answered by those findings only.
 */
export const containerHealthcheck = defineRule({
  id: "container-healthcheck",
  title: "Running containers have a health check",
  severity: "low",
  rationale:
    "Without a health check the engine only knows whether the process exists; a hung or broken service keeps running, and restart policies and orchestrators cannot replace it.",
  remediation:
    "Add a HEALTHCHECK to the image (or `--health-cmd` / Compose `healthcheck:` / SecureService `healthCheck`), and do not disable it with `--no-healthcheck`.",
  references: { cis: ["4.6"], kics: ["698ed579-b239-4f8f-a388-baa4bcb13ef8"] },
  differences: [
    {
      framework: "kics",
      id: "698ed579-b239-4f8f-a388-baa4bcb13ef8",
      note: "reports a Compose service only when it switches its health check off; a service with no `healthcheck:` usually inherits the image's HEALTHCHECK, which the file does not show (images are judged by dockerfile-healthcheck, running containers by the live audit).",
    },
  ],
  targets: ["workload"],
  platforms: PlatformScope.Docker,
  check(w) {
    const live = w.origin.format === "docker-engine";
    return w.containers.flatMap((c, i) => {
      const check = c.probes.find((p) => p.kind === "healthcheck");
      if (check && !check.disabled) return [];
      if (!check && !live) return [];
      return [
        {
          path: `containers.${i}.probes`,
          message: check
            ? `container "${c.name}" has its health check disabled`
            : `container "${c.name}" has no health check (none in its image, none given at run)`,
          references: { kics: w.origin.format === "compose" ? ["698ed579-b239-4f8f-a388-baa4bcb13ef8"] : [] },
        },
      ];
    });
  },
});
