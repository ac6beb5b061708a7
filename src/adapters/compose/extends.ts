import { dirname, isAbsolute, join } from "node:path";
import { type Obj, obj, str } from "../kubernetes/values";
import { readTextFile } from "../read-text";
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
  /** Reads a file `extends.file` names. @default `readGuardedFile`: the guards of every file read */
  readFile?: (path: string) => string;
  /** Take the fast YAML read where a file allows it. @default true (false: for tests that compare the two) */
  fastRead?: boolean;
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

/** Longest `extends` chain followed; Compose files in use stay far below it. */
export const MAX_EXTENDS_DEPTH = 1000;

/** Reads a file through the same guards as files named on the command line. */
export function readGuardedFile(path: string, timeoutMs?: number): string {
  const read = readTextFile(path, timeoutMs === undefined ? {} : { timeoutMs });
  if ("error" in read) throw new Error(read.error.message);
  return read.text;
}

/**
 * Resolves the services of a Compose file, following `extends` in the same file and in other
 * files (relative to the extending file). A cycle, a missing base or a chain deeper than
 * `MAX_EXTENDS_DEPTH` is a SourceError at the `extends` key. Each service is resolved once
 * (a base shared by many services, or a long chain, costs its length, not its square), and
 * chains are walked in a loop, so no depth can overflow the stack.
 */
export function resolveServices(cdoc: ComposeDocument, options: ExtendsOptions = {}): ResolvedService[] {
  const services = obj(obj(cdoc.value)?.services) ?? {};
  const cache = new Map<string, ComposeDocument>([[cdoc.file, cdoc]]);
  const read = options.readFile ?? ((p: string) => readGuardedFile(p));
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
      parsed = parseComposeYaml(path, text, { fast: options.fastRead !== false });
    } catch (e) {
      if (!(e instanceof SourceError)) throw e;
      throw new SourceError(`extends.file "${file}" line ${e.line ?? 1}: ${e.message}`, at?.line, at?.column);
    }
    cache.set(path, parsed);
    return parsed;
  };

  const resolved = new Map<string, ResolvedService>();
  /** One service entry and what it extends, if anything. */
  interface Step {
    doc: ComposeDocument;
    name: string;
    id: string;
    own: Obj;
  }
  const tooDeep = (first: Step): SourceError => {
    const at = locateCompose(first.doc, ["services", first.name, "extends"]);
    return new SourceError(
      `extends chain of service "${first.name}" is deeper than ${MAX_EXTENDS_DEPTH} services; flatten it (a base service can hold what the chain adds)`,
      at?.line,
      at?.column,
    );
  };
  const resolve = (doc: ComposeDocument, name: string): ResolvedService => {
    // Walk down the chain to a service already resolved or one that extends nothing …
    const chain: Step[] = [];
    const onChain = new Set<string>();
    let step: Step = { doc, name, id: `${doc.file}#${name}`, own: serviceIn(doc, name) };
    let base: ResolvedService | undefined;
    for (;;) {
      base = resolved.get(step.id);
      // The whole chain counts, including the part resolved for other services before.
      if (base) {
        if (chain.length + base.layers.length > MAX_EXTENDS_DEPTH + 1) throw tooDeep(chain[0] as Step);
        break;
      }
      const ext = step.own.extends;
      if (ext === undefined) {
        base = { name: step.name, value: step.own, layers: [{ cdoc: step.doc, name: step.name }] };
        resolved.set(step.id, base);
        break;
      }
      chain.push(step);
      onChain.add(step.id);
      if (chain.length > MAX_EXTENDS_DEPTH) throw tooDeep(chain[0] as Step);
      const at = locateCompose(step.doc, ["services", step.name, "extends"]);
      const spec = typeof ext === "string" ? { service: ext } : (obj(ext) ?? {});
      const baseName = str(spec.service);
      if (!baseName) throw new SourceError("extends needs a service name", at?.line, at?.column);
      const baseFile = str(spec.file);
      const baseDoc = baseFile ? load(step.doc, baseFile, at) : step.doc;
      const baseId = `${baseDoc.file}#${baseName}`;
      if (onChain.has(baseId)) {
        const names = [...chain.map((c) => c.name), baseName].join(" → ");
        // Point at the `extends` of the service the cycle comes back to.
        const again = chain.find((c) => c.id === baseId) as Step;
        const loopAt = locateCompose(again.doc, ["services", again.name, "extends"]);
        throw new SourceError(
          `extends cycle: ${names}; a service cannot extend itself`,
          loopAt?.line,
          loopAt?.column,
        );
      }
      if (!obj(obj(obj(baseDoc.value)?.services)?.[baseName])) {
        throw new SourceError(
          `extends names service "${baseName}", which ${baseFile ? `"${baseFile}"` : "this file"} does not define`,
          at?.line,
          at?.column,
        );
      }
      step = { doc: baseDoc, name: baseName, id: baseId, own: serviceIn(baseDoc, baseName) };
    }
    // … then merge back up, each extending service over its resolved base.
    for (let i = chain.length - 1; i >= 0; i--) {
      const { doc: d, name: n, id, own } = chain[i] as Step;
      const { extends: _done, ...local } = own;
      base = {
        name: n,
        value: mergeService(base.value, local),
        layers: [{ cdoc: d, name: n }, ...base.layers],
      };
      resolved.set(id, base);
    }
    return base;
  };

  return Object.keys(services).map((name) => resolve(cdoc, name));
}

function serviceIn(doc: ComposeDocument, name: string): Obj {
  return obj(obj(obj(doc.value)?.services)?.[name]) ?? {};
}
