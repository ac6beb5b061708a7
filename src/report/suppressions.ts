import { describe, locate, type Resource } from "../model";
import type { ReportedSuppression } from "./report";

/** Every suppression written in `resources`, placed in its source, in object order. */
export function reportedSuppressions(resources: Iterable<Resource>): ReportedSuppression[] {
  const out: ReportedSuppression[] = [];
  for (const r of resources) {
    if (r.suppressions.length === 0) continue;
    const object = describe(r);
    for (const s of r.suppressions) {
      const at = locate(r.origin, s.path);
      out.push({
        ruleIds: s.ruleIds,
        reason: s.reason,
        form: s.form,
        object,
        file: at.file,
        line: at.line,
        column: at.column,
      });
    }
  }
  return out;
}
