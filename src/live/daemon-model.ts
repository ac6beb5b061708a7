import { daemonConfig, readDaemonJson } from "../adapters/daemon";
import type { DaemonConfig } from "../model";
import { engineOrigin } from "./origin";

/** The parts of the Engine API's `GET /info` the audit reads. */
export interface EngineInfo {
  Name?: string;
  ServerVersion?: string;
  Debug?: boolean;
  SecurityOptions?: string[] | null;
  LiveRestoreEnabled?: boolean;
  LoggingDriver?: string;
  ExperimentalBuild?: boolean;
  Driver?: string;
  IPv4Forwarding?: boolean;
  Plugins?: { Authorization?: string[] | null };
  RegistryConfig?: {
    InsecureRegistryCIDRs?: string[] | null;
    IndexConfigs?: Record<string, { Name?: string; Secure?: boolean }> | null;
  };
}

/** Where the daemon's configured settings (the ones `info` does not show) came from. */
export interface DaemonSettingsSource {
  /** `daemon.json` content merged with dockerd's command-line flags, in daemon.json's shape. */
  settings: Record<string, unknown>;
  /** Human description: `/etc/docker/daemon.json and the command line of dockerd (pid 42)`. */
  description: string;
  /** The daemon.json read, so findings can point at the line that configures a setting. */
  file?: { file: string; text: string };
}

/** Docker always trusts loopback registries over HTTP; that default is not an insecure registry. */
const BUILTIN_INSECURE_CIDR = "127.0.0.0/8";

/** Model fields that only `daemon.json` / dockerd's flags tell; unknown without them. */
export const SETTINGS_ONLY_PATHS = [
  "icc",
  "userlandProxy",
  "noNewPrivileges",
  "defaultUlimits",
  "logOpts",
  "hosts",
  "tls",
  "tlsVerify",
  "tlsCaCert",
  "tlsCert",
  "tlsKey",
  "iptables",
  "cgroupParent",
  "seccompProfile",
] as const;

/** `info.SecurityOptions` entries look like `name=seccomp,profile=default`. */
export function securityOptions(info: EngineInfo): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const entry of info.SecurityOptions ?? []) {
    const fields: Record<string, string> = {};
    for (const part of entry.split(",")) {
      const eq = part.indexOf("=");
      if (eq > 0) fields[part.slice(0, eq)] = part.slice(eq + 1);
    }
    if (fields.name) out.set(fields.name, fields);
  }
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/**
 * Builds the model's `DaemonConfig` of a live engine. What `info` reports is the truth in effect and
 * wins; the rest comes from the daemon's settings when they could be read, and is marked unknown
 * (so rules stay silent rather than guess) when they could not.
 */
export function engineDaemonConfig(
  engine: string,
  info: EngineInfo,
  source: DaemonSettingsSource | undefined,
  defaultBridgeIcc?: boolean,
): DaemonConfig {
  // Debug logging shows in info even when set by a flag or signal; rules read it from settings.
  const settings: Record<string, unknown> = { ...(source?.settings ?? {}) };
  if (info.Debug === true) settings.debug = true;
  const origin = engineOrigin(engine, "daemon");
  // Settings written in daemon.json are located there; the rest (defaults, flags) at the engine.
  const fileOrigin = source?.file
    ? readDaemonJson(source.file.file, source.file.text).config?.origin
    : undefined;
  if (fileOrigin?.resolve) origin.resolve = fileOrigin.resolve;
  // The same mapping as daemon.json files: flags and file were merged into daemon.json's shape.
  const daemon = daemonConfig(engine, settings, origin);
  if (!source) daemon.unknown = new Set(SETTINGS_ONLY_PATHS);

  const secOpts = securityOptions(info);
  if (secOpts.has("userns")) daemon.usernsRemap = str(settings["userns-remap"]) ?? "default";
  else delete daemon.usernsRemap;
  daemon.rootless = secOpts.has("rootless");
  const seccomp = secOpts.get("seccomp");
  if (!seccomp) {
    daemon.seccompProfile = "unconfined";
    daemon.unknown?.delete("seccompProfile");
  } else if (seccomp.profile && seccomp.profile !== "default" && daemon.seccompProfile === undefined) {
    daemon.seccompProfile = seccomp.profile;
  }
  if (info.LiveRestoreEnabled !== undefined) daemon.liveRestore = info.LiveRestoreEnabled;
  if (info.LoggingDriver) daemon.logDriver = info.LoggingDriver;
  if (info.ExperimentalBuild !== undefined) daemon.experimental = info.ExperimentalBuild;
  if (info.Driver) daemon.storageDriver = info.Driver;
  if (info.IPv4Forwarding !== undefined) daemon.ipForward = info.IPv4Forwarding;
  daemon.authorizationPlugins = [...(info.Plugins?.Authorization ?? [])];
  const insecure = new Set(
    (info.RegistryConfig?.InsecureRegistryCIDRs ?? []).filter((c) => c !== BUILTIN_INSECURE_CIDR),
  );
  for (const [name, index] of Object.entries(info.RegistryConfig?.IndexConfigs ?? {})) {
    if (index?.Secure === false) insecure.add(index.Name ?? name);
  }
  daemon.insecureRegistries = [...insecure];
  // The default bridge's options show whether icc is really off, whatever the settings say.
  if (defaultBridgeIcc !== undefined) {
    daemon.icc = defaultBridgeIcc;
    daemon.unknown?.delete("icc");
  }
  return daemon;
}
