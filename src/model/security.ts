/** Seccomp confinement. `unconfined` is the absence of a filter. */
export interface SeccompProfile {
  type: "RuntimeDefault" | "Localhost" | "Unconfined" | string;
  /** Path of a Localhost profile (Kubernetes) or of a profile file (Docker). */
  localhostProfile?: string;
  /** The profile's JSON content when the source embeds it (Docker `seccomp=<json>`). */
  content?: string;
}

/** AppArmor confinement. */
export interface AppArmorProfile {
  type: "RuntimeDefault" | "Localhost" | "Unconfined" | string;
  localhostProfile?: string;
}

export interface SELinuxOptions {
  user?: string;
  role?: string;
  type?: string;
  level?: string;
}

export interface Capabilities {
  add: string[];
  drop: string[];
}

/**
 * The security settings of one container, after the platform's own syntax is removed.
 * Field names follow Kubernetes' SecurityContext, which is the richer of the two; a Docker
 * container maps onto the same fields (`--privileged`, `--cap-add`, `--security-opt`,
 * `--read-only`, `--user`).
 */
export interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  /** A user name that is not a number (Docker `USER app`); rules treat `root` as uid 0. */
  runAsUserName?: string;
  readOnlyRootFilesystem?: boolean;
  capabilities?: Capabilities;
  seccompProfile?: SeccompProfile;
  appArmorProfile?: AppArmorProfile;
  seLinuxOptions?: SELinuxOptions;
  procMount?: string;
  windowsHostProcess?: boolean;
}

/** Pod-wide (or container-wide, for Docker) settings that containers inherit. */
export interface PodSecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  fsGroup?: number;
  supplementalGroups?: number[];
  seccompProfile?: SeccompProfile;
  appArmorProfile?: AppArmorProfile;
  seLinuxOptions?: SELinuxOptions;
  sysctls?: { name: string; value: string }[];
  windowsHostProcess?: boolean;
}
