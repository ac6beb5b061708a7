import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { type Obj, obj, str } from "../kubernetes/values";
import { SourceError } from "../yaml-source";
import { type ComposeDocument, locateCompose, parseComposeYaml } from "./parse";

/** Where one layer of a service is written: a service entry of some Compose file. */
export interface ServiceLayer {
  cdoc: ComposeDocument;
  name: string;
}

/** A service after `extends`: its merged value and its layers, own first, then the bases. */
export interface ResolvedService {
  name: string;
  value: Obj;
  layers: ServiceLayer[];
}

export interface ExtendsOptions {
  /** Reads a file `extends.file` names. @default fs.readFileSync as UTF-8 */
  readFile?: (path: string) => string;
}

/** Keys written as a mapping or as a `KEY=value` list; merged as mappings. */
const MAPPING_OR_LIST = new Set(["environment", "labels", "annotations", "extra_hosts", "sysctls"]);
/** Keys an extending service replaces rather than merges. */
const REPLACED = new Set(["command", "entrypoint", "test"]);
/** Lists whose entries are merged by their mount target. */
const BY_TARGET = new Set(["volumes", "secrets", "configs", "devices", "tmpfs"]);

/** `KEY=value` list or mapping → mapping. */
export function toMapping(v: unknown): Obj {
  if (Array.isArray(v)) {
    const out: Obj = {};
    for (const item of v) {
      const s = String(item);
      const eq = s.indexOf("=");
      out[eq < 0 ? s : s.slice(0, eq)] = eq < 0 ? null : s.slice(eq + 1);
    }
    return out;
  }
  return obj(v) ?? {};
}

function targetOf(entry: unknown): string {
  if (typeof entry === "string") {
    const parts = entry.split(":");
    return parts.length === 1 ? (parts[0] ?? "") : (parts[1] ?? "");
  }
  const o = obj(entry);
  return str(o?.target) ?? str(o?.source) ?? JSON.stringify(entry);
}

/** Merges an extending service over its base, per the Compose Specification's merge rules. */
export function mergeService(base: Obj, local: Obj, key = ""): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(local)) {
    const b = base[k];
    if (b === undefined || REPLACED.has(k)) out[k] = v;
    else if (MAPPING_OR_LIST.has(k)) out[k] = { ...toMapping(b), ...toMapping(v) };
    else if (Array.isArray(b) && Array.isArray(v)) {
      if (BY_TARGET.has(k)) {
        const targets = new Set(v.map(targetOf));
        out[k] = [...b.filter((e) => !targets.has(targetOf(e))), ...v];
      } else {
        const seen = new Set(b.map((e) => JSON.stringify(e)));
        out[k] = [...b, ...v.filter((e) => !seen.has(JSON.stringify(e)))];
      }
    } else if (obj(b) && obj(v)) out[k] = mergeService(b as Obj, v as Obj, `${key}${k}.`);
    else out[k] = v;
  }
  return out;
}

/**
 * Resolves the services of a Compose file, following `extends` in the same file and in other
 * files (relative to the extending file). A cycle or a missing base is a SourceError at the
 * `extends` key.
 */
export function resolveServices(cdoc: ComposeDocument, options: ExtendsOptions = {}): ResolvedService[] {
  const services = obj(obj(cdoc.value)?.services) ?? {};
  const cache = new Map<string, ComposeDocument>([[cdoc.file, cdoc]]);
  const read = options.readFile ?? ((p: string) => readFileSync(p, "utf8"));
  const load = (
    from: ComposeDocument,
    file: string,
    at: ReturnType<typeof locateCompose>,
  ): ComposeDocument => {
    const path = isAbsolute(file) ? file : join(dirname(from.file), file);
    const hit = cache.get(path);
    if (hit) return hit;
    let text: string;
    try {
      text = read(path);
    } catch (e) {
      throw new SourceError(
        `extends.file "${file}" cannot be read: ${(e as Error).message}`,
        at?.line,
        at?.column,
      );
    }
    let parsed: ComposeDocument;
    try {
      parsed = parseComposeYaml(path, text);
    } catch (e) {
      if (!(e instanceof SourceError)) throw e;
      throw new SourceError(`extends.file "${file}" line ${e.line ?? 1}: ${e.message}`, at?.line, at?.column);
    }
    cache.set(path, parsed);
    return parsed;
  };

  const resolve = (doc: ComposeDocument, name: string, chain: string[]): ResolvedService => {
    const all = obj(obj(doc.value)?.services) ?? {};
    const own = obj(all[name]) ?? {};
    const id = `${doc.file}#${name}`;
    const ext = own.extends;
    if (ext === undefined) return { name, value: own, layers: [{ cdoc: doc, name }] };
    const at = locateCompose(doc, ["services", name, "extends"]);
    if (chain.includes(id)) {
      const names = [...chain, id].map((c) => c.split("#")[1]).join(" → ");
      throw new SourceError(`extends cycle: ${names}; a service cannot extend itself`, at?.line, at?.column);
    }
    const spec = typeof ext === "string" ? { service: ext } : (obj(ext) ?? {});
    const baseName = str(spec.service);
    if (!baseName) throw new SourceError("extends needs a service name", at?.line, at?.column);
    const baseFile = str(spec.file);
    const baseDoc = baseFile ? load(doc, baseFile, at) : doc;
    const baseServices = obj(obj(baseDoc.value)?.services) ?? {};
    if (!obj(baseServices[baseName])) {
      throw new SourceError(
        `extends names service "${baseName}", which ${baseFile ? `"${baseFile}"` : "this file"} does not define`,
        at?.line,
        at?.column,
      );
    }
    const base = resolve(baseDoc, baseName, [...chain, id]);
    const { extends: _done, ...local } = own;
    return { name, value: mergeService(base.value, local), layers: [{ cdoc: doc, name }, ...base.layers] };
  };

  return Object.keys(services).map((name) => resolve(cdoc, name, []));
}
