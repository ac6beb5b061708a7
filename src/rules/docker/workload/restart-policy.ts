import { defineRule, ParameterType, PlatformScope } from "../../rule";

export const restartPolicy = defineRule({
  id: "restart-policy",
  title: "Restarts are limited to 5 attempts on failure",
  severity: "low",
  rationale:
    "`always` and `unless-stopped` restart a crashing container forever, hiding the failure and letting a crash loop (or many of them) exhaust the host; `on-failure` with a small limit surfaces it.",
  remediation:
    "Use `restart: on-failure:5` (Compose) or `--restart=on-failure:5`; with `deploy.restart_policy`, set `max_attempts: 5`.",
  references: { cis: ["5.15"], kics: ["2fc99041-ddad-49d5-853f-e35e70a48391"] },
  targets: ["workload"],
  platforms: PlatformScope.Docker,
  parameters: [
    {
      name: "maxRetries",
      type: ParameterType.Number,
      default: 5,
      description: "The most restarts on failure a restart policy may allow (CIS 5.15 recommends 5).",
    },
  ],
  check(w, ctx) {
    const maxAllowed = Number(ctx.parameters.maxRetries);
    // Kubernetes restartPolicy (Always for Deployments) is the controller's business: Docker only.
    if (!w.restartPolicy) return [];
    const { name, maxRetries } = w.restartPolicy;
    const policy = name.toLowerCase();
    if (policy === "always" || policy === "unless-stopped" || policy === "any") {
      return [
        { path: "restartPolicy", message: `restart policy "${name}" restarts the container without limit` },
      ];
    }
    if (policy === "on-failure") {
      if (maxRetries === undefined || maxRetries <= 0) {
        return [{ path: "restartPolicy", message: "restart policy on-failure has no retry limit" }];
      }
      if (maxRetries > maxAllowed) {
        return [
          {
            path: "restartPolicy.maxRetries",
            message: `restart policy on-failure allows ${maxRetries} retries; use ${maxAllowed} or fewer`,
          },
        ];
      }
    }
    return [];
  },
});
