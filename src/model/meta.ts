import type { Origin } from "./source";

/** A rule id with the reason it does not apply to one object. */
export interface Suppression {
  ruleIds: string[];
  reason: string;
  /** Where the suppression was written: annotation, label or comment. */
  form: "annotation" | "label" | "comment";
  /** Model path of the suppression, so unused or unreasoned ones can be pointed at. */
  path: string;
}

/** What every model object carries. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  origin: Origin;
  suppressions: Suppression[];
  /**
   * Model paths whose values are not known yet (Pulumi preview). Rules do not report
   * on a field they cannot see.
   */
  unknown?: Set<string>;
  /** Same as `unknown`, computed on demand by adapters that keep the source (Pulumi props). */
  isUnknown?: (modelPath: string) => boolean;
}

/** A human label for an object in messages: `Deployment default/web`. */
export function describe(meta: ObjectMeta & { sourceKind?: string; kind: string }): string {
  const kind = meta.sourceKind ?? meta.kind;
  const ns = meta.namespace ? `${meta.namespace}/` : "";
  return `${kind} ${ns}${meta.name}`;
}
