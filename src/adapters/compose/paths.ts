import type { SourceLocation } from "../../model";
import { type Obj, obj } from "../kubernetes/values";
import { isScalar } from "../yaml-library";
import type { SourcePath } from "../yaml-source";
import type { ResolvedService, ServiceLayer } from "./extends";
import { type ComposeDocument, locateCompose, nodeAt, valueAt } from "./parse";
import type { EntrySource, ServiceSources } from "./service";

/** Security fields that live in `security_opt`, and the option key each one is written as. */
export const SECURITY_OPT_FIELDS: Record<string, string> = {
  allowPrivilegeEscalation: "no-new-privileges",
  seccompProfile: "seccomp",
  appArmorProfile: "apparmor",
  seLinuxOptions: "label",
  procMount: "systempaths",
};

const USER_FIELDS = new Set(["runAsUser", "runAsGroup", "runAsUserName", "runAsNonRoot"]);

/** Compose keys that Docker spells in two places; the one the service uses (else the first). */
function either(service: Obj, paths: SourcePath[]): SourcePath {
  for (const p of paths) {
    let v: unknown = service;
    for (const seg of p) {
      // Own fields only: the same answer (no Compose key is an Object.prototype name), and an
      // absent key of a parsed object is not looked up through its prototype.
      const o = obj(v);
      const key = String(seg);
      v = o && Object.hasOwn(o, key) ? o[key] : undefined;
    }
    if (v !== undefined) return p;
  }
  return paths[0] as SourcePath;
}

const RESOURCE_PATHS: Record<string, SourcePath[]> = {
  memoryLimit: [["deploy", "resources", "limits", "memory"], ["mem_limit"]],
  memoryRequest: [["deploy", "resources", "reservations", "memory"], ["mem_reservation"]],
  cpuLimit: [["deploy", "resources", "limits", "cpus"], ["cpus"]],
  cpuRequest: [["deploy", "resources", "reservations", "cpus"]],
  pidsLimit: [["pids_limit"], ["deploy", "resources", "limits", "pids"]],
  cpuShares: [["cpu_shares"]],
};

const WORKLOAD_KEYS: Record<string, SourcePath> = {
  hostNetwork: ["network_mode"],
  networkMode: ["network_mode"],
  hostPID: ["pid"],
  hostIPC: ["ipc"],
  hostUTS: ["uts"],
  hostUsers: ["userns_mode"],
  networks: ["networks"],
  logging: ["logging"],
  os: ["platform"],
};

function entryPath(src: EntrySource | undefined): SourcePath | undefined {
  if (!src) return undefined;
  return src.index === undefined ? [src.key] : [src.key, src.index];
}

/** The path relative to the service of a security field (container- or pod-level). */
function securityPath(field: string | undefined, rest: string[]): SourcePath | undefined {
  if (field === undefined) return [];
  if (field === "privileged") return ["privileged"];
  if (field === "readOnlyRootFilesystem") return ["read_only"];
  if (USER_FIELDS.has(field)) return ["user"];
  if (field in SECURITY_OPT_FIELDS) return ["security_opt"];
  if (field === "capabilities") {
    if (rest[0] === "add") return rest[1] === undefined ? ["cap_add"] : ["cap_add", Number(rest[1])];
    if (rest[0] === "drop") return rest[1] === undefined ? ["cap_drop"] : ["cap_drop", Number(rest[1])];
    return ["cap_drop"];
  }
  if (field === "sysctls") return ["sysctls"];
  if (field === "supplementalGroups") return ["group_add"];
  return undefined;
}

/** Model label fields, the Compose key each reads, and the prefix of a path under it. */
const LABEL_FIELDS: readonly (readonly [string, string, string])[] = [
  ["labels", "labels", "labels."],
  ["annotations", "annotations", "annotations."],
  ["podLabels", "labels", "podLabels."],
  ["podAnnotations", "annotations", "podAnnotations."],
];

/**
 * Model path → path in the Compose service (without the `services.<name>` prefix).
 * `undefined` when the model field has no Compose counterpart.
 */
export function serviceRelativePath(
  modelPath: string,
  service: Obj,
  sources: ServiceSources,
  env: string[],
): SourcePath | undefined {
  for (const [field, key, prefix] of LABEL_FIELDS) {
    if (!modelPath.startsWith(field)) continue;
    if (modelPath.length === field.length) return [key];
    if (modelPath.startsWith(prefix)) return [key, modelPath.slice(prefix.length)];
  }
  const parts = modelPath.split(".");
  // Indexed reads, not a destructuring: this runs once per finding and per parent path tried.
  const head = parts[0];
  const a = parts[1];
  const b = parts[2];
  const c = parts[3];
  switch (head) {
    case "":
    case undefined:
      return [];
    case "securityContext":
      return securityPath(a, parts.slice(2));
    case "volumes": {
      const entry = entryPath(a === undefined ? undefined : sources.volumes[Number(a)]);
      if (!entry) return ["volumes"];
      const src = sources.volumes[Number(a)];
      if (b === "hostPath" && src?.long) return [...entry, "source"];
      return entry;
    }
    case "restartPolicy":
      // The same precedence as the mapping: deploy.restart_policy first.
      return either(service, [["deploy", "restart_policy"], ["restart"]]);
    case "replicas":
      return either(service, [["deploy", "replicas"], ["scale"]]);
    case "containers":
      break;
    default:
      return WORKLOAD_KEYS[head];
  }
  // containers.0.<b>.<c>…
  switch (b) {
    case undefined:
      return [];
    case "image":
      return ["image"];
    case "imagePullPolicy":
      return ["pull_policy"];
    case "command":
      return ["entrypoint"];
    case "args":
      return ["command"];
    case "env": {
      const name = c === undefined ? undefined : env[Number(c)];
      return name === undefined ? ["environment"] : ["environment", name];
    }
    case "securityContext":
      return securityPath(c, parts.slice(4));
    case "resources": {
      const paths = c === undefined ? undefined : RESOURCE_PATHS[c];
      return paths ? either(service, paths) : either(service, [["deploy", "resources"], ["mem_limit"]]);
    }
    case "probes":
      return ["healthcheck"];
    case "ports": {
      const src = c === undefined ? undefined : sources.ports[Number(c)];
      const entry = entryPath(src);
      if (!entry) return ["ports"];
      const field = parts[4];
      if (field === "hostIP" && src?.long) return [...entry, "host_ip"];
      if (field === "hostPort" && src?.long) return [...entry, "published"];
      return entry;
    }
    case "mounts": {
      const src = c === undefined ? undefined : sources.volumes[Number(c)];
      const entry = entryPath(src);
      if (!entry) return ["volumes"];
      if (parts[4] === "readOnly" && src?.long) return [...entry, "read_only"];
      return entry;
    }
    case "devices": {
      const entry = entryPath(c === undefined ? undefined : sources.devices[Number(c)]);
      return entry ?? ["devices"];
    }
    case "ulimits":
      return c === undefined ? ["ulimits"] : ["ulimits", c];
    default:
      return undefined;
  }
}

/** Index of the `security_opt` entry that sets `optKey` in the list node at `path`, if any. */
export function securityOptIndex(items: unknown[], optKey: string): number {
  return items.findIndex((it) => {
    const s = isScalar(it) ? String(it.value) : typeof it === "string" ? it : "";
    return s.split(/[=:]/)[0]?.trim().toLowerCase() === optKey;
  });
}

/** Per Compose document: `<service>\0<field>\0<path>` → the first location from that layer down. */
const layerSearches = new WeakMap<ComposeDocument, Map<string, SourceLocation | null>>();

function searchesOf(cdoc: ComposeDocument): Map<string, SourceLocation | null> {
  let searches = layerSearches.get(cdoc);
  if (!searches) {
    searches = new Map();
    layerSearches.set(cdoc, searches);
  }
  return searches;
}

/**
 * Location of a service path: the first layer (the service itself, then the services it
 * extends, possibly in other files) where it is written.
 *
 * A layer's bases are the same for every service that reaches it, so the answer "from this
 * layer down" is remembered per layer: in a chain of N services, each asking for paths none of
 * them sets, the search costs N per path in all, not N for each service (N² in all).
 */
export function locateInLayers(
  service: ResolvedService,
  relative: SourcePath,
  modelPath: string,
): SourceLocation | undefined {
  // The security field matters only where it picks a `security_opt` entry (see locateInLayer).
  const field =
    relative.length === 1 && relative[0] === "security_opt"
      ? modelPath.split(".").find((p) => p in SECURITY_OPT_FIELDS)
      : undefined;
  const layers = service.layers;
  // A service that extends none (most): one layer, nothing a search could share.
  if (layers.length === 1) return locateInLayer(layers[0] as ServiceLayer, relative, field);
  const key = `\u0000${field ?? ""}\u0000${JSON.stringify(relative)}`;
  const searched: ServiceLayer[] = [];
  let found: SourceLocation | null = null;
  for (const layer of layers) {
    const known = searchesOf(layer.cdoc).get(layer.name + key);
    if (known !== undefined) {
      found = known;
      break;
    }
    searched.push(layer);
    const hit = locateInLayer(layer, relative, field);
    if (hit) {
      found = hit;
      break;
    }
  }
  for (const layer of searched) searchesOf(layer.cdoc).set(layer.name + key, found);
  return found ?? undefined;
}

/** The location of `relative` written in this one layer, if it is. */
function locateInLayer(
  layer: ServiceLayer,
  relative: SourcePath,
  field: string | undefined,
): SourceLocation | undefined {
  const base: SourcePath = ["services", layer.name];
  // Point at the `security_opt` entry that sets the field, not just the list.
  if (field && relative[0] === "security_opt" && relative.length === 1) {
    const items = layer.cdoc.fast
      ? valueAt(layer.cdoc, [...base, "security_opt"])
      : (nodeAt(layer.cdoc.doc, [...base, "security_opt"])?.node as { items?: unknown } | undefined)?.items;
    if (Array.isArray(items)) {
      const i = securityOptIndex(items, SECURITY_OPT_FIELDS[field] as string);
      if (i >= 0) return locateCompose(layer.cdoc, [...base, "security_opt", i]);
    }
    return undefined;
  }
  return locateCompose(layer.cdoc, base.concat(relative));
}
