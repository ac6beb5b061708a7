/**
 * The Pod Security Standards versions shipshape can enforce, and what changed between them.
 *
 * Why: the admission controller a cluster runs enforces the standard of its own Kubernetes
 * version (or the one a namespace pins with `pod-security.kubernetes.io/enforce-version`), so an
 * audit that must agree with a 1.29 cluster needs the 1.29 rules. Supported: v1.25 (the first
 * version without PodSecurityPolicy) to the newest. Each difference is data here, read by the
 * rules it concerns and listed in RULES.md.
 */

/** Minor versions of Kubernetes 1.x whose standard shipshape knows. */
export const PSS_MINOR_VERSIONS = [25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37] as const;
export type PssMinor = (typeof PSS_MINOR_VERSIONS)[number];

/** The default: the newest standard. */
export const LATEST_PSS_MINOR: PssMinor = 37;

/** `v1.35` for 35. */
export function pssVersionName(minor: number): string {
  return `v1.${minor}`;
}

/** Every accepted version name, oldest first, for help texts and errors. */
export const PSS_VERSION_NAMES: readonly string[] = [...PSS_MINOR_VERSIONS.map(pssVersionName), "latest"];

/**
 * Reads `v1.30`, `1.30` or `latest` (as namespaces label `enforce-version`). Returns `undefined`
 * for anything else, including versions older than v1.25 or newer than shipshape knows.
 */
export function parsePssVersion(text: string): PssMinor | undefined {
  const t = text.trim();
  if (t === "latest") return LATEST_PSS_MINOR;
  const m = /^v?1\.(\d+)$/.exec(t);
  if (!m) return undefined;
  const minor = Number(m[1]);
  return (PSS_MINOR_VERSIONS as readonly number[]).includes(minor) ? (minor as PssMinor) : undefined;
}

/** One change to the standard, with the version that introduced it. */
export interface PssChange {
  /** The first minor version with the change. */
  since: PssMinor;
  /** The admission library's check ids it concerns. */
  checks: string[];
  change: string;
}

/**
 * What changed in the standard from v1.25 on, by name: rules read `PSS_CHANGES.<name>.since`,
 * RULES.md lists them all.
 */
export const PSS_CHANGES = {
  reservedPortsSysctl: {
    since: 27,
    checks: ["sysctls"],
    change: "net.ipv4.ip_local_reserved_ports joins the safe sysctls",
  },
  keepaliveSysctls: {
    since: 29,
    checks: ["sysctls"],
    change:
      "net.ipv4.tcp_keepalive_time, tcp_fin_timeout, tcp_keepalive_intvl and tcp_keepalive_probes join the safe sysctls",
  },
  appArmorFields: {
    since: 30,
    checks: ["appArmorProfile"],
    change: "the securityContext.appArmorProfile fields are checked, besides the older annotations",
  },
  seLinuxEngineType: {
    since: 31,
    checks: ["seLinuxOptions"],
    change: "SELinux type container_engine_t is allowed",
  },
  tcpMemorySysctls: {
    since: 32,
    checks: ["sysctls"],
    change: "net.ipv4.tcp_rmem and net.ipv4.tcp_wmem join the safe sysctls",
  },
  imageVolumes: { since: 33, checks: ["restrictedVolumes"], change: "image volumes are allowed" },
  hostProbes: {
    since: 34,
    checks: ["hostProbesAndHostLifecycle"],
    change: "new baseline check: probes and lifecycle hooks must not set a host",
  },
  userNamespaceRelaxation: {
    since: 35,
    checks: ["runAsNonRoot", "runAsUser", "procMount"],
    change:
      "pods with hostUsers: false are exempt from runAsNonRoot and runAsUser, and from baseline procMount (restricted still forbids Unmasked)",
  },
  tcpTuningSysctls: {
    since: 37,
    checks: ["sysctls"],
    change: "net.ipv4.tcp_slow_start_after_idle and net.ipv4.tcp_notsent_lowat join the safe sysctls",
  },
} as const satisfies Record<string, PssChange>;
