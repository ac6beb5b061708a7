/**
 * Why: with privilege escalation allowed (no `no_new_privs`), a setuid binary or file
 * capability in the image can raise the process above the user it started as. The standard
 * (check `allowPrivilegeEscalation`) requires every container — init and ephemeral ones
 * included — to set `allowPrivilegeEscalation: false` explicitly; unset fails, because the
 * runtime default allows escalation. Since 1.25 pods with `spec.os.name: windows` are exempt.
 * Docker spells it `security_opt: no-new-privileges`; a daemon started with
 * `no-new-privileges` covers its containers. Setting it to false is the automatic fix, except
 * on a privileged container, where the API rejects that combination.
 */
import { defineRule, PlatformScope, type RuleContext } from "../rule";
import { containerField, describeContainer, isDockerWorkload, isWindowsPod } from "./effective";

function daemonForbidsEscalation(ctx: RuleContext): boolean {
  const daemons = ctx.inventory.of("daemon");
  return daemons.length > 0 && daemons.every((d) => d.noNewPrivileges === true);
}

export const privilegeEscalation = defineRule({
  id: "privilege-escalation",
  title: "Containers do not allow privilege escalation",
  severity: "high",
  rationale:
    "Without no_new_privs a process can gain privileges through setuid/setgid binaries or file capabilities, turning a foothold as an ordinary user into root in the container.",
  remediation:
    "Set securityContext.allowPrivilegeEscalation: false on every container; Docker: add `no-new-privileges:true` to security_opt.",
  references: {
    pss: ["allowPrivilegeEscalation"],
    cis: ["5.26"],
    kubeLinter: ["privilege-escalation-container"],
    checkov: ["CKV_K8S_20"],
    polaris: ["privilegeEscalationAllowed"],
    kics: ["27fcc7d6-c49b-46e0-98f1-6c082a6a2750"],
  },
  pssLevel: "restricted",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  fixable: true,
  check(w, ctx) {
    if (isWindowsPod(w)) return [];
    const daemonCovers = isDockerWorkload(w) && daemonForbidsEscalation(ctx);
    return w.containers.flatMap((c, i) => {
      const value = c.securityContext.allowPrivilegeEscalation;
      if (value === false || (value === undefined && daemonCovers)) return [];
      const path = containerField(i, "securityContext.allowPrivilegeEscalation");
      const state = value === true ? "allows privilege escalation" : "does not forbid privilege escalation";
      const violation = {
        path,
        message: `${describeContainer(c)} ${state}; set securityContext.allowPrivilegeEscalation to false`,
      };
      if (c.securityContext.privileged === true) return [violation];
      return [{ ...violation, fix: [{ op: "set" as const, path, value: false }] }];
    });
  },
});
