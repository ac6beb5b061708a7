import type { ObjectMeta } from "./meta";

/**
 * A Docker daemon's configuration, from `daemon.json` or from a live engine's `info`.
 * Typed fields are the ones rules read; `settings` keeps everything as written.
 */
export interface DaemonConfig extends ObjectMeta {
  kind: "daemon";
  settings: Record<string, unknown>;
  icc?: boolean;
  usernsRemap?: string;
  liveRestore?: boolean;
  userlandProxy?: boolean;
  noNewPrivileges?: boolean;
  logDriver?: string;
  logOpts: Record<string, string>;
  defaultUlimits?: Record<string, { soft?: number; hard?: number }>;
  insecureRegistries: string[];
  /** Listen addresses (`unix:///…`, `tcp://…`). */
  hosts: string[];
  tls?: boolean;
  tlsVerify?: boolean;
  tlsCaCert?: string;
  tlsCert?: string;
  tlsKey?: string;
  experimental?: boolean;
  seccompProfile?: string;
  iptables?: boolean;
  ipForward?: boolean;
  authorizationPlugins: string[];
  storageDriver?: string;
  cgroupParent?: string;
  /** True when the engine runs rootless (from live info). */
  rootless?: boolean;
}
