import type { Node as YamlNode } from "yaml";
import type { InputError } from "../../engine/finding";
import type { DaemonConfig, Origin, SourceLocation } from "../../model";
import { bool, num, obj, str, strList, strMap } from "../kubernetes/values";
import { isMap, isPair, isScalar, isSeq, yamlLibrary } from "../yaml-library";
import { findJsonSyntaxError } from "./json-syntax";

/** Model field of `DaemonConfig` → `daemon.json` key (dockerd's own spelling). */
export const DAEMON_KEYS = {
  icc: "icc",
  usernsRemap: "userns-remap",
  liveRestore: "live-restore",
  userlandProxy: "userland-proxy",
  noNewPrivileges: "no-new-privileges",
  logDriver: "log-driver",
  logOpts: "log-opts",
  defaultUlimits: "default-ulimits",
  insecureRegistries: "insecure-registries",
  hosts: "hosts",
  tls: "tls",
  tlsVerify: "tlsverify",
  tlsCaCert: "tlscacert",
  tlsCert: "tlscert",
  tlsKey: "tlskey",
  experimental: "experimental",
  seccompProfile: "seccomp-profile",
  iptables: "iptables",
  ipForward: "ip-forward",
  authorizationPlugins: "authorization-plugins",
  storageDriver: "storage-driver",
  cgroupParent: "cgroup-parent",
} as const satisfies Partial<Record<keyof DaemonConfig, string>>;

export interface DaemonReadResult {
  config?: DaemonConfig;
  errors: InputError[];
}

/** Model path (`icc`, `logOpts.max-size`, `settings.<key>…`) → path of keys in `daemon.json`. */
export function daemonSourcePath(modelPath: string): (string | number)[] | undefined {
  if (modelPath === "") return [];
  if (modelPath.startsWith("settings.")) return splitKeys(modelPath.slice("settings.".length));
  const dot = modelPath.indexOf(".");
  const head = dot < 0 ? modelPath : modelPath.slice(0, dot);
  const key = (DAEMON_KEYS as Record<string, string>)[head];
  if (key === undefined) return undefined;
  if (dot < 0) return [key];
  const rest = modelPath.slice(dot + 1);
  // Option names contain dots (`log-opts.labels-regex` is fine, `tag` too); keep the rest whole
  // for maps, split only into a trailing index for lists.
  if (head === "logOpts") return [key, rest];
  return [key, ...rest.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s))];
}

function splitKeys(path: string): (string | number)[] {
  return path.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Reads `daemon.json` (strict JSON, as dockerd reads it) into a `DaemonConfig`. */
export function readDaemonJson(file: string, text: string): DaemonReadResult {
  const syntax = findJsonSyntaxError(text);
  if (syntax) {
    const before = text.slice(0, syntax.offset);
    const line = before.split("\n").length;
    const column = syntax.offset - (before.lastIndexOf("\n") + 1) + 1;
    return { errors: [{ file, message: `invalid JSON: ${syntax.message}`, line, column }] };
  }
  const settings = JSON.parse(text) as Record<string, unknown>;
  // The YAML parser reads valid JSON with node positions, which JSON.parse does not keep.
  const { LineCounter, parseDocument } = yamlLibrary();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });

  const locate = (path: (string | number)[]): SourceLocation | undefined => {
    let node: YamlNode | null | undefined = doc.contents as YamlNode | null;
    let at: number | undefined = node?.range?.[0];
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
        );
        if (!pair) return undefined;
        at = (pair.key as YamlNode).range?.[0] ?? at;
        node = pair.value as YamlNode | null;
      } else if (isSeq(node) && typeof seg === "number") {
        const item: YamlNode | undefined = node.items[seg] as YamlNode | undefined;
        if (!item) return undefined;
        at = item.range?.[0] ?? at;
        node = item;
      } else return undefined;
    }
    if (at === undefined) return undefined;
    const pos = lineCounter.linePos(at);
    return { file, line: pos.line, column: pos.col };
  };

  const origin: Origin = {
    format: "daemon-json",
    file,
    location: locate([]) ?? { file, line: 1, column: 1 },
    locations: new Map(),
    sourcePath: daemonSourcePath,
    resolve: (modelPath) => {
      const path = daemonSourcePath(modelPath);
      return path ? locate(path) : undefined;
    },
  };
  return { config: daemonConfig(file, settings, origin), errors: [] };
}

/** Maps the settings of a `daemon.json` (or of a live engine turned into that shape). */
export function daemonConfig(name: string, settings: Record<string, unknown>, origin: Origin): DaemonConfig {
  const k = DAEMON_KEYS;
  const c: DaemonConfig = {
    kind: "daemon",
    name,
    labels: strMap(Object.fromEntries(strList(settings.labels).map((l) => splitLabel(l)))),
    annotations: {},
    origin,
    suppressions: [],
    settings,
    logOpts: strMap(settings[k.logOpts]),
    insecureRegistries: strList(settings[k.insecureRegistries]),
    hosts: strList(settings[k.hosts]),
    authorizationPlugins: strList(settings[k.authorizationPlugins]),
  };
  const set = <F extends keyof DaemonConfig>(field: F, value: DaemonConfig[F] | undefined) => {
    if (value !== undefined) c[field] = value;
  };
  set("icc", bool(settings[k.icc]));
  set("usernsRemap", str(settings[k.usernsRemap]));
  set("liveRestore", bool(settings[k.liveRestore]));
  set("userlandProxy", bool(settings[k.userlandProxy]));
  set("noNewPrivileges", bool(settings[k.noNewPrivileges]));
  set("logDriver", str(settings[k.logDriver]));
  set("tls", bool(settings[k.tls]));
  set("tlsVerify", bool(settings[k.tlsVerify]));
  set("tlsCaCert", str(settings[k.tlsCaCert]));
  set("tlsCert", str(settings[k.tlsCert]));
  set("tlsKey", str(settings[k.tlsKey]));
  set("experimental", bool(settings[k.experimental]));
  set("seccompProfile", str(settings[k.seccompProfile]));
  set("iptables", bool(settings[k.iptables]));
  set("ipForward", bool(settings[k.ipForward]));
  set("storageDriver", str(settings[k.storageDriver]));
  set("cgroupParent", str(settings[k.cgroupParent]));
  const ulimits = obj(settings[k.defaultUlimits]);
  if (ulimits) {
    c.defaultUlimits = {};
    for (const [name, v] of Object.entries(ulimits)) {
      const o = obj(v) ?? {};
      const limit: { soft?: number; hard?: number } = {};
      const soft = num(o.Soft ?? o.soft);
      const hard = num(o.Hard ?? o.hard);
      if (soft !== undefined) limit.soft = soft;
      if (hard !== undefined) limit.hard = hard;
      c.defaultUlimits[name] = limit;
    }
  }
  // `hosts` may also be one string in hand-written files; dockerd wants a list but be lenient.
  if (c.hosts.length === 0 && typeof settings[k.hosts] === "string") c.hosts = [settings[k.hosts] as string];
  return c;
}

function splitLabel(l: string): [string, string] {
  const eq = l.indexOf("=");
  return eq < 0 ? [l, ""] : [l.slice(0, eq), l.slice(eq + 1)];
}
