/**
 * Shared reading of a workload for the Pod Security Standards rules: which container is which,
 * what a container inherits from its pod, and where Docker-shaped workloads differ.
 *
 * Why these helpers exist: the standard's checks (pod-security-admission, every version from 1.25) all
 * visit every container of a pod — regular, init and ephemeral alike — and several of them
 * read a pod-level default that a container may override (seccomp, runAsNonRoot, AppArmor,
 * SELinux). Docker and Compose workloads map onto the same model but have no pod level and
 * different defaults (Docker always applies its default seccomp profile; a container with no
 * `user` runs as whatever the image says, which is root unless the image set one).
 */
import { type Container, type ObjectMeta, ObjectPlatform, platformOf, type Workload } from "../../model";
import type { RuleContext } from "../rule";
import { PSS_CHANGES } from "./versions";

/** Model path of a field of the container at `index`. */
export function containerField(index: number, field: string): string {
  return `containers.${index}.${field}`;
}

/** `container "app"`, `init container "setup"`, `ephemeral container "debugger"`. */
export function describeContainer(c: Container): string {
  const role = c.role === "container" ? "container" : `${c.role} container`;
  return `${role} "${c.name}"`;
}

/**
 * True for Docker-shaped workloads (Compose services, `docker run` containers, Pulumi
 * docker.Container). They have no pod level, and Docker's defaults differ from the kubelet's.
 */
export function isDockerWorkload(w: Workload): boolean {
  return platformOf(w) === ObjectPlatform.Docker;
}

/**
 * Since 1.25 the standard exempts pods that declare `spec.os.name: windows` from the
 * Linux-only restricted checks (privilege escalation, seccomp, capabilities).
 */
export function isWindowsPod(w: Workload): boolean {
  return w.os === "windows";
}

/**
 * `hostUsers: false` puts the pod in its own user namespace: root inside maps to an
 * unprivileged host user. Since 1.35 the standard no longer constrains runAsNonRoot and
 * runAsUser for such pods, and baseline no longer constrains procMount (restricted still does).
 * True only when the enforced version has that relaxation.
 */
export function exemptAsUserNamespaced(w: Workload, ctx: Pick<RuleContext, "pssVersion">): boolean {
  return w.hostUsers === false && ctx.pssVersion >= PSS_CHANGES.userNamespaceRelaxation.since;
}

/** Seccomp profile types both levels accept. */
export const CONFINED_SECCOMP_TYPES: ReadonlySet<string> = new Set(["RuntimeDefault", "Localhost"]);

/**
 * A capability name as the check compares it. Kubernetes compares the exact string the
 * manifest wrote (`CAP_CHOWN` is not `CHOWN` to the admission controller); Docker accepts any
 * case and an optional `CAP_` prefix, so Docker names are normalized first.
 */
export function capabilityName(w: Workload, raw: string): string {
  if (!isDockerWorkload(w)) return raw;
  const upper = raw.trim().toUpperCase();
  return upper.startsWith("CAP_") ? upper.slice(4) : upper;
}

/** A user name or number that means uid 0 (`root`, `0`). */
export function isRootUserName(name: string | undefined): boolean {
  if (name === undefined) return false;
  const user = name.trim().split(":")[0] ?? "";
  return user === "root" || /^0+$/.test(user);
}

/** Quotes a value for a message the way the rest of the catalog does. */
export function quote(value: unknown): string {
  return JSON.stringify(value);
}

/** True when the adapter marked the path (or a parent) as not known yet. */
export function isUnknownPath(meta: ObjectMeta, path: string): boolean {
  if (meta.isUnknown?.(path)) return true;
  let p = path;
  for (;;) {
    if (meta.unknown?.has(p)) return true;
    const cut = p.lastIndexOf(".");
    if (cut < 0) return false;
    p = p.slice(0, cut);
  }
}
