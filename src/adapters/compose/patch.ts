import type { YAMLSeq } from "yaml";
import type { Workload, WorkloadVolume } from "../../model";
import type { Patch } from "../../rules/rule";
import { NO_NEW_PRIVILEGES } from "../docker/security-opts";
import { type Obj, obj, str } from "../kubernetes/values";
import { isScalar, isSeq } from "../yaml-library";
import { applyYamlPatch } from "../yaml-patch";
import type { SourcePath } from "../yaml-source";
import type { ComposeDocument } from "./parse";
import { nodeAt } from "./parse";
import { SECURITY_OPT_FIELDS, securityOptIndex, serviceRelativePath } from "./paths";
import { capabilityName, type ServiceSources } from "./service";

/** What the patcher needs to know about one service of the file being fixed. */
export interface ServiceTarget {
  name: string;
  workload: Workload;
  sources: ServiceSources;
  /** The service's merged value (after `<<` and `extends`). */
  value: Obj;
  env: string[];
}

/** Kubernetes quantities (`256Mi`) in Docker's byte syntax (`256m`). */
export function dockerBytes(v: unknown): unknown {
  const s = str(v);
  const m = s === undefined ? null : /^(\d+(?:\.\d+)?)([KMGT])i$/.exec(s);
  return m ? `${m[1]}${(m[2] as string).toLowerCase()}` : v;
}

function bracket(ip: string): string {
  return ip.includes(":") && !ip.startsWith("[") ? `[${ip}]` : ip;
}

/** Rewrites a short port spec's host address: `8080:80` → `127.0.0.1:8080:80`; `undefined` drops it. */
export function withHostIp(spec: string, ip: string | undefined): string {
  let rest = spec;
  if (rest.startsWith("[")) rest = rest.slice(rest.indexOf("]") + 2);
  else {
    const protoCut = rest.lastIndexOf("/");
    const parts = (protoCut < 0 ? rest : rest.slice(0, protoCut)).split(":");
    if (parts.length === 3) rest = rest.slice((parts[0] as string).length + 1);
  }
  const bare = rest.startsWith(":") ? rest.slice(1) : rest;
  if (ip === undefined) return bare;
  const hostAndContainer = bare.split("/")[0]?.includes(":") ? bare : `:${bare}`;
  return `${bracket(ip)}:${hostAndContainer}`;
}

/** Short volume spec with its access mode changed: `./data:/data` → `./data:/data:ro`. */
function withReadOnly(spec: string, readOnly: boolean): string {
  const drive = /^[A-Za-z]:[\\/]/.test(spec) ? 2 : 0;
  const parts = spec.slice(drive).split(":");
  if (drive) parts[0] = spec.slice(0, drive) + parts[0];
  const mode = (parts.length >= 3 ? (parts[2] as string) : "")
    .split(",")
    .filter((m) => m !== "" && m !== "ro" && m !== "rw");
  if (readOnly) mode.unshift("ro");
  return [...parts.slice(0, 2), ...(mode.length > 0 ? [mode.join(",")] : [])].join(":");
}

/** The `security_opt` entry that gives a security field a value; `null` when Docker's default does. */
function securityOptFor(field: string, value: unknown): string | null | undefined {
  const v = obj(value);
  const type = str(v?.type) ?? str(value);
  switch (field) {
    case "allowPrivilegeEscalation":
      return value === false ? NO_NEW_PRIVILEGES : null;
    case "seccompProfile":
    case "appArmorProfile": {
      const key = SECURITY_OPT_FIELDS[field] as string;
      if (value === undefined || type === "RuntimeDefault") return null;
      if (type === "Unconfined") return `${key}=unconfined`;
      const profile = str(v?.localhostProfile);
      return type === "Localhost" && profile ? `${key}=${profile}` : undefined;
    }
    case "procMount":
      return value === "Unmasked" ? "systempaths=unconfined" : null;
    default:
      return undefined;
  }
}

/** Applies the patches of one finding to one service of a Compose document, in place. */
export function applyServicePatches(
  cdoc: ComposeDocument,
  target: ServiceTarget,
  patches: readonly Patch[],
): boolean {
  const { doc } = cdoc;
  const base: SourcePath = ["services", target.name];
  const own = obj(obj(obj(cdoc.value)?.services)?.[target.name]) ?? {};
  let changed = false;

  /** Makes `key` written in the service itself, so an edit does not drop what `<<` merged in. */
  const ensureOwn = (key: string) => {
    const at = nodeAt(doc, [...base, key]);
    if (at && !at.own && own[key] !== undefined) doc.setIn([...base, key], doc.createNode(own[key]));
  };
  const seq = (key: string): YAMLSeq | undefined => {
    ensureOwn(key);
    const node = nodeAt(doc, [...base, key])?.node;
    if (isScalar(node)) {
      doc.setIn([...base, key], doc.createNode([node.value]));
      return seq(key);
    }
    return isSeq(node) ? node : undefined;
  };
  const addItem = (key: string, value: unknown, same: (item: unknown) => boolean) => {
    const list = seq(key);
    if (list) {
      if (!list.items.some((it) => same(isScalar(it) ? it.value : it))) list.add(doc.createNode(value));
    } else doc.setIn([...base, key], doc.createNode([value]));
    changed = true;
  };
  const removeItems = (key: string, match: (item: unknown) => boolean) => {
    const list = seq(key);
    if (!list) return;
    const before = list.items.length;
    list.items = list.items.filter(
      (it) => !match(isScalar(it) ? it.value : (it as { toJSON(): unknown }).toJSON()),
    );
    if (list.items.length === 0) doc.deleteIn([...base, key]);
    if (list.items.length !== before) changed = true;
  };
  const setAt = (relative: SourcePath, value: unknown) => {
    if (relative[0] !== undefined) ensureOwn(String(relative[0]));
    doc.setIn([...base, ...relative], value);
    changed = true;
  };
  const deleteAt = (relative: SourcePath) => {
    if (relative[0] !== undefined) ensureOwn(String(relative[0]));
    if (doc.hasIn([...base, ...relative])) {
      doc.deleteIn([...base, ...relative]);
      changed = true;
    }
  };

  // Volumes added by the same fix, so that a mount of a new tmpfs volume can be written as tmpfs.
  const newVolumes = new Map<string, WorkloadVolume>();
  for (const p of patches) {
    if (p.op === "add-to-list" && p.path === "volumes") {
      const v = p.value as WorkloadVolume;
      if (v?.name) newVolumes.set(v.name, v);
    }
  }

  for (const patch of patches) {
    const parts = patch.path.split(".");
    const value = patch.op === "remove" ? undefined : patch.value;
    const securityField =
      parts[0] === "containers" && parts[2] === "securityContext"
        ? parts[3]
        : parts[0] === "securityContext"
          ? parts[1]
          : undefined;

    // security_opt-backed fields: replace the entry for that option.
    if (
      securityField &&
      securityField in SECURITY_OPT_FIELDS &&
      (patch.op === "set" || patch.op === "remove")
    ) {
      const nested = parts.slice(parts.indexOf(securityField) + 1);
      const wanted = nested[0] === "type" ? { type: value } : value;
      const entry = securityOptFor(securityField, wanted);
      if (entry === undefined) continue;
      const optKey = SECURITY_OPT_FIELDS[securityField] as string;
      removeItems("security_opt", (it) => securityOptIndex([it], optKey) === 0);
      if (entry !== null) addItem("security_opt", entry, (it) => it === entry);
      continue;
    }
    // Capabilities, compared the way Docker does (case-insensitive, `CAP_` optional).
    if (securityField === "capabilities" && (parts.at(-1) === "add" || parts.at(-1) === "drop")) {
      const key = parts.at(-1) === "add" ? "cap_add" : "cap_drop";
      const name = capabilityName(String(patch.op === "remove" ? "" : patch.value));
      const same = (it: unknown) => capabilityName(String(it)) === name;
      if (patch.op === "add-to-list") addItem(key, name, same);
      else if (patch.op === "remove-from-list") removeItems(key, same);
      else if (patch.op === "set") setAt([key], Array.isArray(patch.value) ? patch.value : [patch.value]);
      else deleteAt([key]);
      continue;
    }
    if (
      securityField === "runAsUser" ||
      securityField === "runAsUserName" ||
      securityField === "runAsGroup"
    ) {
      if (patch.op !== "set") continue;
      const [user, group] = (str(target.value.user) ?? "").split(":");
      const next =
        securityField === "runAsGroup"
          ? user
            ? `${user}:${String(patch.value)}`
            : undefined
          : group !== undefined
            ? `${String(patch.value)}:${group}`
            : String(patch.value);
      if (next !== undefined) setAt(["user"], next);
      continue;
    }
    // Host namespaces: turning one off removes the mode that shares it.
    const hostKey = {
      hostNetwork: "network_mode",
      hostPID: "pid",
      hostIPC: "ipc",
      hostUTS: "uts",
      hostUsers: "userns_mode",
    }[parts[0] as string];
    if (hostKey && parts.length === 1) {
      if ((patch.op === "set" && patch.value === false) || patch.op === "remove") {
        if (str(own[hostKey]) === "host") deleteAt([hostKey]);
      }
      continue;
    }
    // Published ports: rewrite the entry's host address.
    if (parts[0] === "containers" && parts[2] === "ports" && parts[4] === "hostIP") {
      const src = target.sources.ports[Number(parts[3])];
      if (src?.key !== "ports" || src.index === undefined) continue;
      const ip = patch.op === "set" ? str(patch.value) : undefined;
      ensureOwn("ports");
      if (src.long) {
        if (ip === undefined) deleteAt(["ports", src.index, "host_ip"]);
        else setAt(["ports", src.index, "host_ip"], ip);
      } else {
        const current = nodeAt(doc, [...base, "ports", src.index])?.node;
        if (!isScalar(current)) continue;
        setAt(["ports", src.index], withHostIp(String(current.value), ip));
      }
      continue;
    }
    // Mount access mode.
    if (parts[0] === "containers" && parts[2] === "mounts" && parts[4] === "readOnly" && patch.op === "set") {
      const src = target.sources.volumes[Number(parts[3])];
      if (!src || src.index === undefined || src.key !== "volumes") continue;
      ensureOwn("volumes");
      if (src.long) setAt(["volumes", src.index, "read_only"], patch.value === true);
      else {
        const current = nodeAt(doc, [...base, "volumes", src.index])?.node;
        if (isScalar(current))
          setAt(["volumes", src.index], withReadOnly(String(current.value), patch.value === true));
      }
      continue;
    }
    // New mounts: tmpfs for memory-backed scratch volumes, bind/named volumes otherwise.
    if (
      parts[0] === "containers" &&
      parts[2] === "mounts" &&
      parts.length === 3 &&
      patch.op === "add-to-list"
    ) {
      const mount = obj(patch.value) ?? {};
      const mountPath = str(mount.mountPath);
      const volumeName = str(mount.volume) ?? "";
      const volume = newVolumes.get(volumeName) ?? target.workload.volumes.find((v) => v.name === volumeName);
      if (!mountPath || !volume) continue;
      if (volume.type === "emptyDir" && volume.medium === "Memory") {
        const options = volume.options ?? [];
        const spec = options.length > 0 ? `${mountPath}:${options.join(",")}` : mountPath;
        addItem("tmpfs", spec, (it) => String(it).split(":")[0] === mountPath);
      } else {
        const source = volume.type === "hostPath" ? volume.hostPath : volume.source;
        const spec = `${source ? `${source}:` : ""}${mountPath}${mount.readOnly === true ? ":ro" : ""}`;
        addItem("volumes", spec, (it) => String(it) === spec);
      }
      continue;
    }
    if (parts[0] === "volumes" && parts.length === 1) continue; // written with its mount
    // Labels and annotations in either the mapping or the `KEY=value` list form.
    if ((parts[0] === "labels" || parts[0] === "annotations") && parts.length > 1) {
      const key = parts[0];
      const name = patch.path.slice(key.length + 1);
      ensureOwn(key);
      const node = nodeAt(doc, [...base, key])?.node;
      if (isSeq(node)) {
        removeItems(key, (it) => String(it) === name || String(it).startsWith(`${name}=`));
        if (patch.op === "set") addItem(key, `${name}=${String(patch.value)}`, () => false);
      } else if (patch.op === "set") setAt([key, name], String(patch.value));
      else if (patch.op === "remove") deleteAt([key, name]);
      continue;
    }
    if (parts[0] === "restartPolicy" && patch.op === "set") {
      const policy = obj(patch.value) ?? {};
      const name = str(policy.name) ?? str(patch.value) ?? "";
      const retries = typeof policy.maxRetries === "number" ? policy.maxRetries : undefined;
      const inDeploy = obj(obj(own.deploy)?.restart_policy) !== undefined;
      if (inDeploy) {
        setAt(
          ["deploy", "restart_policy", "condition"],
          name === "always" ? "any" : name === "no" ? "none" : name,
        );
        if (retries !== undefined) setAt(["deploy", "restart_policy", "max_attempts"], retries);
      } else setAt(["restart"], retries !== undefined && name === "on-failure" ? `${name}:${retries}` : name);
      continue;
    }

    // Everything else maps field to field.
    const relative = serviceRelativePath(patch.path, target.value, target.sources, target.env);
    if (!relative || relative.length === 0) continue;
    const converted =
      parts[2] === "resources" &&
      (parts[3] === "memoryLimit" || parts[3] === "memoryRequest") &&
      patch.op === "set"
        ? { ...patch, value: dockerBytes(patch.value) }
        : patch;
    if (relative[0] !== undefined) ensureOwn(String(relative[0]));
    applyYamlPatch(doc, [...base, ...relative], converted);
    changed = true;
  }
  return changed;
}
