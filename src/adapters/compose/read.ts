import type { InputError } from "../../engine/finding";
import type { Origin, Resource, SourceLocation } from "../../model";
import { obj } from "../kubernetes/values";
import { suppressionsFromComments } from "../suppressions";
import { SourceError } from "../yaml-source";
import { type ExtendsOptions, type ResolvedService, resolveServices } from "./extends";
import { mapTopLevel } from "./objects";
import { type ComposeDocument, entryLines, locateCompose, parseComposeYaml } from "./parse";
import type { ServiceTarget } from "./patch";
import { locateInLayers, serviceRelativePath } from "./paths";
import { validateCompose } from "./schema";
import { mapService, type ServiceSources } from "./service";

export interface ComposeReadOptions extends ExtendsOptions {}

export interface ComposeReadResult {
  resources: Resource[];
  errors: InputError[];
  /** The parsed file, for fixes; absent when it could not be read. */
  cdoc?: ComposeDocument;
  /** The services, for fixes, by resource index. */
  targets: Map<Resource, ServiceTarget>;
}

const TOP_LEVEL = ["networks", "volumes", "secrets"] as const;

/**
 * Reads a Compose file: validates it against the Compose Specification schema, resolves `<<`
 * merges and `extends`, and maps each service to a workload and each top-level network,
 * volume and secret to its model object.
 */
export function readComposeFile(
  file: string,
  text: string,
  options: ComposeReadOptions = {},
): ComposeReadResult {
  const targets = new Map<Resource, ServiceTarget>();
  const fail = (e: SourceError): ComposeReadResult => ({
    resources: [],
    errors: [{ file, message: e.message, line: e.line ?? 1, column: e.column ?? 1 }],
    targets,
  });
  let cdoc: ComposeDocument;
  try {
    cdoc = parseComposeYaml(file, text, { fast: options.fastRead !== false });
  } catch (e) {
    if (e instanceof SourceError) return fail(e);
    throw e;
  }
  const top = obj(cdoc.value);
  if (!top) {
    return fail(
      new SourceError("not a Compose file: the top level must be a mapping with a services: key", 1, 1),
    );
  }
  const schemaErrors = validateCompose(cdoc);
  if (schemaErrors.length > 0) return { resources: [], errors: schemaErrors, targets, cdoc };
  let services: ReturnType<typeof resolveServices>;
  try {
    services = resolveServices(cdoc, options);
  } catch (e) {
    if (e instanceof SourceError) return { ...fail(e), cdoc };
    throw e;
  }

  const resources: Resource[] = [];
  // Blocks place comment suppressions; a file without one needs none (and keeps the fast read's
  // savings: the blocks' line spans come from the full YAML document).
  const suppressed = cdoc.text.includes("shipshape:ignore");
  const blocks: { lines: [number, number]; resources: Resource[] }[] = [];
  const whole = (path: (string | number)[]): SourceLocation =>
    locateCompose(cdoc, path) ?? { file, line: 1, column: 1 };

  for (const service of services) {
    const origin: Origin = {
      format: "compose",
      file,
      location: whole(["services", service.name]),
      locations: new Map(),
    };
    const { workload, sources } = mapService(service, origin, obj(top.volumes) ?? {});
    const env = workload.containers[0]?.env.map((e) => e.name) ?? [];
    Object.assign(origin, serviceLocators(service, sources, env));
    resources.push(workload);
    targets.set(workload, { name: service.name, workload, sources, value: service.value, env });
    const lines = suppressed ? entryLines(cdoc, ["services"], service.name) : undefined;
    if (lines) blocks.push({ lines, resources: [workload] });
  }
  const serviceResources = [...resources];
  for (const kind of TOP_LEVEL) {
    for (const [name, value] of Object.entries(obj(top[kind]) ?? {})) {
      const base = [kind, name];
      const origin: Origin = { format: "compose", file, location: whole(base), locations: new Map() };
      Object.assign(origin, topLevelLocators(cdoc, base));
      const r = mapTopLevel(kind, name, value, origin);
      resources.push(r);
      const lines = suppressed ? entryLines(cdoc, [kind], name) : undefined;
      if (lines) blocks.push({ lines, resources: [r] });
    }
  }
  if (suppressed) attachCommentSuppressions(cdoc, blocks, serviceResources);
  return { resources, errors: [], cdoc, targets };
}

type Locators = Required<Pick<Origin, "sourcePath" | "resolve">>;

// The origins' functions are made by the two functions below and stored as their results, so
// that they are allocated young and hold what locating needs, not the reader's scope (see
// `Origin.resolve`; the 1,000 Compose files promoted 12.2 MB that way, against 2.2 MB now).

/** A service's model paths to its paths in the file, and to locations in its layers. */
function serviceLocators(service: ResolvedService, sources: ServiceSources, env: string[]): Locators {
  const relative = (modelPath: string) => serviceRelativePath(modelPath, service.value, sources, env);
  return {
    sourcePath: (modelPath) => {
      const rel = relative(modelPath);
      return rel ? ["services", service.name, ...rel] : undefined;
    },
    resolve: (modelPath) => {
      const rel = relative(modelPath);
      return rel ? locateInLayers(service, rel, modelPath) : undefined;
    },
  };
}

/** A top-level network's, volume's or secret's model paths, at `base` in the file. */
function topLevelLocators(cdoc: ComposeDocument, base: readonly string[]): Locators {
  const sourcePath = (modelPath: string) =>
    modelPath === "" ? [...base] : [...base, ...modelPath.split(".")];
  return {
    sourcePath,
    resolve: (modelPath) => {
      if (modelPath.startsWith("labels."))
        return locateCompose(cdoc, [...base, "labels", modelPath.slice(7)]);
      return locateCompose(cdoc, sourcePath(modelPath));
    },
  };
}

/**
 * `# shipshape:ignore rule reason` inside a service's (or network's…) block, or in the comment
 * lines just above its key, applies to that object; anywhere else, to every service of the file.
 */
function attachCommentSuppressions(
  cdoc: ComposeDocument,
  blocks: { lines: [number, number]; resources: Resource[] }[],
  services: Resource[],
): void {
  const lines = cdoc.text.split("\n");
  for (const comment of suppressionsFromComments(cdoc.text, cdoc.file, 1, 0)) {
    const at = comment.location.line;
    let owner = blocks.find((b) => b.lines[0] <= at && at <= b.lines[1]);
    if (!owner) {
      let next = at; // 1-based line of the comment; lines[next] is the line after it
      while (next < lines.length && /^\s*(#.*)?$/.test(lines[next] ?? "")) next++;
      owner = blocks.find((b) => b.lines[0] === next + 1);
    }
    for (const r of owner?.resources ?? services) {
      const path = `suppressions.${r.suppressions.length}`;
      const { location, ...rest } = comment;
      r.suppressions.push({ ...rest, path });
      r.origin.locations.set(path, location);
    }
  }
}
