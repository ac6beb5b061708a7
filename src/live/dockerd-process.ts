import { readdirSync, readFileSync, realpathSync } from "node:fs";
import { DEFAULT_SOCKET } from "./engine";

/** The default `--config-file` of dockerd on Linux. */
export const DEFAULT_DAEMON_JSON = "/etc/docker/daemon.json";

/** A dockerd process found on this machine, serving a given socket. */
export interface LocalDaemonProcess {
  pid: number;
  /** Command-line arguments after the program name. */
  args: string[];
  /** The `--config-file` it reads (dockerd's default when not given). */
  configFile: string;
}

// Flags that take no value (`--icc` means true; `--icc=false` is the only way to say false).
const BOOLEAN_FLAGS = new Set([
  "icc",
  "userland-proxy",
  "live-restore",
  "no-new-privileges",
  "experimental",
  "tls",
  "tlsverify",
  "iptables",
  "ip6tables",
  "ip-forward",
  "ip-masq",
  "ipv6",
  "selinux-enabled",
  "debug",
  "rootless",
  "init",
]);
const SHORT_FLAGS: Record<string, string> = {
  H: "host",
  D: "debug",
  l: "log-level",
  s: "storage-driver",
  b: "bridge",
  G: "group",
  p: "pidfile",
  g: "data-root",
};
// Repeatable flags and the daemon.json list key they fill.
const LIST_FLAGS: Record<string, string> = {
  host: "hosts",
  "insecure-registry": "insecure-registries",
  "authorization-plugin": "authorization-plugins",
  "registry-mirror": "registry-mirrors",
  label: "labels",
  dns: "dns",
  "exec-opt": "exec-opts",
  "storage-opt": "storage-opts",
};

/**
 * Reads dockerd's command line into the shape of `daemon.json` (`--icc=false` → `icc: false`,
 * `--log-opt max-size=10m` → `log-opts: { "max-size": "10m" }`), so flags and file merge into one
 * settings object. dockerd refuses to start when a key is in both, so the merge never conflicts.
 */
export function dockerdFlagsToSettings(args: readonly string[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    let name: string;
    let value: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      value = eq < 0 ? undefined : arg.slice(eq + 1);
    } else if (/^-[A-Za-z]/.test(arg)) {
      const short = arg.slice(1, 2);
      name = SHORT_FLAGS[short] ?? short;
      const rest = arg.slice(2).replace(/^=/, "");
      value = rest === "" ? undefined : rest;
    } else {
      continue;
    }
    if (BOOLEAN_FLAGS.has(name)) {
      settings[name] = value === undefined ? true : value.toLowerCase() !== "false";
      continue;
    }
    if (value === undefined) {
      value = args[i + 1];
      i++;
    }
    if (value === undefined) break;
    if (name === "log-opt") {
      const eq = value.indexOf("=");
      const opts = (settings["log-opts"] ?? {}) as Record<string, string>;
      opts[eq < 0 ? value : value.slice(0, eq)] = eq < 0 ? "" : value.slice(eq + 1);
      settings["log-opts"] = opts;
    } else if (name === "default-ulimit") {
      // nofile=1024:4096
      const [ulimit = "", limits = ""] = value.split("=");
      const [soft, hard] = limits.split(":");
      const ulimits = (settings["default-ulimits"] ?? {}) as Record<string, unknown>;
      ulimits[ulimit] = { Name: ulimit, Soft: Number(soft), Hard: Number(hard ?? soft) };
      settings["default-ulimits"] = ulimits;
    } else if (LIST_FLAGS[name]) {
      const key = LIST_FLAGS[name] as string;
      settings[key] = [...((settings[key] as string[] | undefined) ?? []), value];
    } else {
      settings[name] = value;
    }
  }
  return settings;
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
}

/**
 * Finds the dockerd on this machine that serves `socketPath` by reading /proc. Returns
 * `undefined` when there is none (a remote engine, another PID namespace, no /proc).
 */
export function findLocalDockerd(socketPath: string): LocalDaemonProcess | undefined {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let argv: string[];
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "dockerd") continue;
      argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    } catch {
      continue;
    }
    const args = argv.slice(1);
    const settings = dockerdFlagsToSettings(args);
    const hosts = (settings.hosts as string[] | undefined) ?? [`unix://${DEFAULT_SOCKET}`];
    const serves = hosts.some(
      (h) => h.startsWith("unix://") && sameFile(h.slice("unix://".length) || DEFAULT_SOCKET, socketPath),
    );
    if (!serves) continue;
    const configFile =
      typeof settings["config-file"] === "string" ? settings["config-file"] : DEFAULT_DAEMON_JSON;
    return { pid: Number(pid), args, configFile };
  }
  return undefined;
}
