/**
 * Why: the SELinux type decides what a container process may touch; a type such as spc_t
 * (what Docker's `label=disable` gives) is unconfined, and a custom user or role sidesteps the
 * container policy. The standard (check `seLinuxOptions`) allows, on the pod and on every
 * container: type empty, container_t, container_init_t, container_kvm_t, or (since 1.31)
 * container_engine_t; user and role empty. The level is free.
 * No automatic fix: the options were set on purpose and the right type depends on the host.
 */
import type { SELinuxOptions } from "../../model";
import { defineRule, PlatformScope, type Violation } from "../rule";
import { containerField, describeContainer, quote } from "./effective";
import { PSS_CHANGES, type PssMinor } from "./versions";

const ALLOWED_SELINUX_TYPES: ReadonlySet<string> = new Set([
  "",
  "container_t",
  "container_init_t",
  "container_kvm_t",
]);

function allowedType(type: string, version: PssMinor): boolean {
  if (ALLOWED_SELINUX_TYPES.has(type)) return true;
  return type === "container_engine_t" && version >= PSS_CHANGES.seLinuxEngineType.since;
}

function problems(
  options: SELinuxOptions | undefined,
  base: string,
  who: string,
  version: PssMinor,
): Violation[] {
  if (!options) return [];
  const out: Violation[] = [];
  if (options.type !== undefined && !allowedType(options.type, version)) {
    out.push({
      path: `${base}.type`,
      message: `${who} sets SELinux type ${quote(options.type)}; use container_t (or leave it unset)`,
    });
  }
  for (const field of ["user", "role"] as const) {
    const value = options[field];
    if (value === undefined || value === "") continue;
    out.push({
      path: `${base}.${field}`,
      message: `${who} sets SELinux ${field} ${quote(value)}; remove it`,
    });
  }
  return out;
}

export const selinuxOptions = defineRule({
  id: "selinux-options",
  title: "SELinux options do not loosen the container policy",
  severity: "medium",
  rationale:
    "An unconfined SELinux type or a custom SELinux user/role lets the container act outside the confinement the container policy gives it.",
  remediation:
    "Remove seLinuxOptions.user and .role, and set seLinuxOptions.type to container_t (or one of container_init_t, container_kvm_t, container_engine_t) or leave it unset; Docker: drop `label=disable` / `label=type:…`.",
  references: {
    pss: ["seLinuxOptions"],
  },
  pssLevel: "baseline",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check(w, ctx) {
    return [
      ...problems(w.securityContext.seLinuxOptions, "securityContext.seLinuxOptions", "pod", ctx.pssVersion),
      ...w.containers.flatMap((c, i) =>
        problems(
          c.securityContext.seLinuxOptions,
          containerField(i, "securityContext.seLinuxOptions"),
          describeContainer(c),
          ctx.pssVersion,
        ),
      ),
    ];
  },
});
