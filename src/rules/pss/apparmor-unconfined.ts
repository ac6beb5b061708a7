/**
 * Why: the container runtime's default AppArmor profile blocks writes to /proc and /sys,
 * mounts and other escape routes; disabling it removes that layer. The standard (check
 * `appArmorProfile`) accepts, on the pod and on every container (init and ephemeral too), an
 * absent `appArmorProfile` or type RuntimeDefault or Localhost — anything else, Unconfined
 * above all, fails; the fields are checked since 1.30 (older versions read only the
 * annotations). The older annotations
 * `container.apparmor.security.beta.kubernetes.io/<container>` on the pod are still checked:
 * their value must be empty, `runtime/default` or `localhost/<profile>`.
 * Docker's `security_opt: apparmor=unconfined` maps to the Unconfined type.
 * No automatic fix: a workload that disabled AppArmor may need a custom profile instead.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { containerField, describeContainer, quote } from "./effective";
import { PSS_CHANGES } from "./versions";

const ALLOWED_TYPES: ReadonlySet<string> = new Set(["RuntimeDefault", "Localhost"]);
export const APPARMOR_ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

function allowedAnnotationValue(value: string): boolean {
  return value === "" || value === "runtime/default" || value.startsWith("localhost/");
}

export const apparmorUnconfined = defineRule({
  id: "apparmor-unconfined",
  title: "AppArmor is neither disabled nor overridden with an unknown profile",
  severity: "medium",
  rationale:
    "The default AppArmor profile blocks several container-escape paths (writes to /proc and /sys, mounts). An Unconfined profile removes that protection.",
  remediation:
    "Remove the AppArmor override, or use type RuntimeDefault / a Localhost profile (annotation values `runtime/default` or `localhost/<profile>`; Docker: drop `apparmor=unconfined`).",
  references: {
    pss: ["appArmorProfile"],
    cis: ["5.2"],
  },
  pssLevel: "baseline",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w, ctx) {
    const out: Violation[] = [];
    const fields = ctx.pssVersion >= PSS_CHANGES.appArmorFields.since;
    const podType = fields ? w.securityContext.appArmorProfile?.type : undefined;
    if (podType !== undefined && !ALLOWED_TYPES.has(podType)) {
      out.push({
        path: "securityContext.appArmorProfile.type",
        message: `pod sets AppArmor profile type ${quote(podType)}; use RuntimeDefault or Localhost`,
      });
    }
    w.containers.forEach((c, i) => {
      const type = fields ? c.securityContext.appArmorProfile?.type : undefined;
      if (type === undefined || ALLOWED_TYPES.has(type)) return;
      out.push({
        path: containerField(i, "securityContext.appArmorProfile.type"),
        message: `${describeContainer(c)} sets AppArmor profile type ${quote(type)}; use RuntimeDefault or Localhost`,
      });
    });
    for (const [key, value] of Object.entries(w.podAnnotations)) {
      if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX) || allowedAnnotationValue(value)) continue;
      out.push({
        path: `podAnnotations.${key}`,
        message: `annotation ${key}=${quote(value)} overrides AppArmor; use "runtime/default" or "localhost/<profile>"`,
      });
    }
    return out;
  },
});
