/**
 * Daemon settings every front end shares (the CLI's flags, HardenedDaemon's args). Every field
 * has a hardened default; turning one off is an explicit choice that the explanation records.
 */
export interface DaemonSettingsArgs {
  /**
   * Keep seccomp confinement as a daemon-wide setting. `false` drops any custom profile (the
   * engine's built-in profile still applies to containers that do not opt out). @default true
   */
  seccomp?: boolean;
  /**
   * Path of a custom daemon-wide seccomp profile on the daemon's host (it must exist there, or
   * dockerd refuses to start). @default none: the engine's built-in profile
   */
  seccompProfile?: string;
  /** Keep containers running while dockerd restarts. @default true */
  liveRestore?: boolean;
  /**
   * Add the content-trust guidance (`DOCKER_CONTENT_TRUST=1` for clients). Content trust is a
   * client setting, so it never appears in `daemon.json`. @default false
   */
  contentTrust?: boolean;
  /** Enable experimental features (not for production). @default false */
  experimental?: boolean;
  /** Maximum size of one json-file log before rotation. @default "10m" */
  logMaxSize?: string;
  /** Rotated json-file logs kept per container. @default 3 */
  logMaxFiles?: number;
  /** Default open-files limit for containers (soft). @default 1024 */
  nofileSoft?: number;
  /** Default open-files limit for containers (hard); must not exceed dockerd's own hard limit when user namespaces are remapped. @default 4096 */
  nofileHard?: number;
  /** Authorization plugins dockerd consults for every API request. @default none */
  authorizationPlugins?: string[];
  /**
   * Serve the engine's Prometheus metrics on this `ip:port` (`metrics-addr`), for
   * ObservabilityStack's Prometheus. A specific address, never every interface: the endpoint has
   * no authentication. @default none (no metrics endpoint)
   */
  metricsAddress?: string;
}

/** Choices a user can make about the generated `daemon.json`. */
export interface SecureDaemonOptions extends DaemonSettingsArgs {
  /**
   * User-namespace remapping: `"default"` lets dockerd create and use the `dockremap` user;
   * any other value names an existing `user[:group]` with ranges in /etc/subuid and /etc/subgid.
   * `false` turns remapping off. @default "default"
   */
  userRemap?: string | false;
}

/** The options with every default filled in. */
export interface ResolvedDaemonOptions {
  userRemap: string | false;
  seccomp: boolean;
  seccompProfile: string | undefined;
  liveRestore: boolean;
  contentTrust: boolean;
  experimental: boolean;
  logMaxSize: string;
  logMaxFiles: number;
  nofileSoft: number;
  nofileHard: number;
  authorizationPlugins: string[];
  metricsAddress: string | undefined;
}

const SIZE = /^\d+[kmg]?$/;

/**
 * Fills defaults and validates. Errors name the option, the bad value and the fix.
 */
export function resolveDaemonOptions(options: SecureDaemonOptions = {}): ResolvedDaemonOptions {
  const resolved: ResolvedDaemonOptions = {
    userRemap: options.userRemap ?? "default",
    seccomp: options.seccomp ?? true,
    seccompProfile: options.seccompProfile,
    liveRestore: options.liveRestore ?? true,
    contentTrust: options.contentTrust ?? false,
    experimental: options.experimental ?? false,
    logMaxSize: options.logMaxSize ?? "10m",
    logMaxFiles: options.logMaxFiles ?? 3,
    nofileSoft: options.nofileSoft ?? 1024,
    nofileHard: options.nofileHard ?? 4096,
    authorizationPlugins: options.authorizationPlugins ?? [],
    metricsAddress: options.metricsAddress,
  };
  const problems: string[] = [];
  if (
    resolved.userRemap !== false &&
    !/^[a-z_][a-z0-9_.-]*(:[a-z_][a-z0-9_.-]*)?$|^\d+(:\d+)?$/i.test(resolved.userRemap)
  ) {
    problems.push(
      `userRemap: ${JSON.stringify(resolved.userRemap)} is not a user[:group]; use "default" or an existing user name`,
    );
  }
  if (!resolved.seccomp && resolved.seccompProfile !== undefined) {
    problems.push(
      `seccompProfile: ${JSON.stringify(resolved.seccompProfile)} conflicts with seccomp: false (--no-seccomp); drop one of them`,
    );
  }
  if (
    resolved.seccompProfile !== undefined &&
    resolved.seccompProfile !== "unconfined" &&
    !resolved.seccompProfile.startsWith("/")
  ) {
    problems.push(
      `seccompProfile: ${JSON.stringify(resolved.seccompProfile)} must be an absolute path on the daemon's host`,
    );
  }
  if (resolved.seccompProfile === "unconfined") {
    problems.push(
      'seccompProfile: "unconfined" disables seccomp for every container; use seccomp: false to leave the engine default, or a profile path',
    );
  }
  if (!SIZE.test(resolved.logMaxSize)) {
    problems.push(
      `logMaxSize: ${JSON.stringify(resolved.logMaxSize)} is not a size; use a number with k, m or g (e.g. "10m")`,
    );
  }
  if (!Number.isInteger(resolved.logMaxFiles) || resolved.logMaxFiles < 1) {
    problems.push(`logMaxFiles: ${resolved.logMaxFiles} must be a whole number of at least 1`);
  }
  for (const key of ["nofileSoft", "nofileHard"] as const) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1) {
      problems.push(`${key}: ${resolved[key]} must be a whole number of at least 1`);
    }
  }
  if (resolved.nofileSoft > resolved.nofileHard) {
    problems.push(
      `nofileSoft: ${resolved.nofileSoft} exceeds nofileHard ${resolved.nofileHard}; lower the soft limit`,
    );
  }
  if (resolved.metricsAddress !== undefined) {
    const problem = metricsAddressProblem(resolved.metricsAddress);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0)
    throw new Error(`invalid daemon configuration options:\n  ${problems.join("\n  ")}`);
  return resolved;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** Why a `metricsAddress` is refused, or undefined when it is an `ip:port` on one address. */
function metricsAddressProblem(value: string): string | undefined {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([0-9.]+)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : 0;
  const ip = m ? (m[1] ?? m[2] ?? "") : "";
  if (!m || port < 1 || port > 65535 || (m[2] !== undefined && !IPV4.test(ip)))
    return `metricsAddress: ${JSON.stringify(value)} is not an ip:port; give one such as 127.0.0.1:9323`;
  if (ip === "0.0.0.0" || ip === "::" || /^[0:]+$/.test(ip))
    return `metricsAddress: ${JSON.stringify(value)} listens on every interface, and the metrics endpoint has no authentication; bind one address, such as 127.0.0.1:9323 or the monitoring network's gateway`;
  return undefined;
}
