/** Where something came from, so that a finding can point at the offending line. */
export interface SourceLocation {
  /** The file as the user named it (relative or absolute), or a resource URN. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** The format a model object was read from (or rendered to). */
export type SourceFormat =
  | "kubernetes"
  | "compose"
  | "dockerfile"
  | "daemon-json"
  | "pulumi"
  | "docker-engine";

/**
 * Links a model object back to its source document. Rules speak in model paths
 * (`containers.0.securityContext.privileged`); the adapter that built the object records
 * where each model path came from, and the engine looks a finding's path up here, falling
 * back to the nearest recorded parent and finally to the object itself.
 */
export interface Origin {
  format: SourceFormat;
  /** The file (or URN) the object was read from. */
  file: string;
  /** Index of the document inside a multi-document file, when there is more than one. */
  documentIndex?: number;
  /** Location of the object as a whole (its first line). */
  location: SourceLocation;
  /** Model path → location, for paths the adapter recorded explicitly. */
  locations: Map<string, SourceLocation>;
  /**
   * Model path → location, computed on demand by adapters that keep the source tree
   * (cheaper than recording every path up front). Returns `undefined` when the path has no node.
   *
   * Adapters store these functions (and `sourcePath`, `isUnknown`, `applyFixes`) as values made
   * by a call or bound to a name, never as a function literal assigned straight to the property:
   * V8's parser takes `x.f = () => …` for a method and allocates that function in the old
   * generation, where it keeps its scope, and with it the file's parsed values, alive through
   * every scavenge until a full collection. On the 10,000 manifests that promoted 84 MB instead
   * of 8 MB and put a third of the mapping's CPU into scavenges
   * (`test/sources/young-origin-functions.test.ts`).
   */
  resolve?: (modelPath: string) => SourceLocation | undefined;
  /**
   * Model path → path of keys/indexes in the source document, for adapters that can edit
   * their source (automatic fixes).
   */
  sourcePath?: (modelPath: string) => (string | number)[] | undefined;
}

/** Resolves a model path to the best known location: the path, else its nearest parent. */
export function locate(origin: Origin, modelPath: string): SourceLocation {
  // Most objects record no explicit locations: skip hashing the path (a fresh string) for those.
  const explicit = origin.locations.size > 0;
  let path = modelPath;
  for (;;) {
    const hit = (explicit ? origin.locations.get(path) : undefined) ?? origin.resolve?.(path);
    if (hit) return hit;
    const cut = path.lastIndexOf(".");
    if (cut < 0) break;
    path = path.slice(0, cut);
  }
  return origin.location;
}
