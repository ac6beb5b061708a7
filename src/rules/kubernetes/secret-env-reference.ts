/**
 * Why: a Secret injected as an environment variable is visible to every process in the
 * container (and its children), in `/proc/<pid>/environ`, in crash dumps and in logs that
 * print the environment, and it is not updated when the Secret rotates. A file mount has none
 * of these problems. Lower severity than `secrets-in-env`: the value is at least not in the
 * manifest.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { containerLabel, eachContainer } from "./workload-scope";

export const secretEnvReference = defineRule({
  id: "secret-env-reference",
  title: "Secrets are mounted as files, not injected as environment variables",
  severity: "low",
  rationale:
    "Environment variables leak: child processes inherit them, debugging endpoints and crash reports print them, and /proc exposes them; they also never pick up a rotated Secret.",
  remediation:
    "Mount the Secret as a volume (read-only) and have the application read the file; keep `valueFrom.secretKeyRef` / `envFrom.secretRef` only for software that cannot read files.",
  references: {
    kubeLinter: ["read-secret-from-env-var"],
    checkov: ["CKV_K8S_35"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w) {
    const out: Violation[] = [];
    for (const { container, path } of eachContainer(w)) {
      container.env.forEach((e, j) => {
        if (!e.secretRef) return;
        out.push({
          path: `${path}.env.${j}`,
          message: `${containerLabel(container)} reads Secret "${e.secretRef.name}" into environment variable ${e.name}; mount the Secret as a file instead`,
        });
      });
      if (container.envFromSecrets.length > 0) {
        out.push({
          path: `${path}.envFromSecrets`,
          message: `${containerLabel(container)} imports Secret(s) ${container.envFromSecrets.map((n) => `"${n}"`).join(", ")} as environment variables (envFrom); mount them as files instead`,
        });
      }
    }
    return out;
  },
});
