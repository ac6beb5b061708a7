/** Kubernetes label selector semantics, for rules that relate objects by labels. */
import type { LabelSelector } from "../../model";

/**
 * True when `selector` selects an object with `labels`. An empty selector selects everything,
 * as it does for a NetworkPolicy's `podSelector`. Unknown operators select nothing, which is
 * what the API server would do after rejecting the object.
 */
export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  // Called for every pod and policy of a namespace: no entry arrays allocated per call.
  const { matchLabels } = selector;
  for (const key in matchLabels) {
    if (Object.hasOwn(matchLabels, key) && labels[key] !== matchLabels[key]) return false;
  }
  if (selector.matchExpressions.length === 0) return true;
  return selector.matchExpressions.every((e) => {
    const has = Object.hasOwn(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case "In":
        return has && values.includes(labels[e.key] ?? "");
      case "NotIn":
        return !has || !values.includes(labels[e.key] ?? "");
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      default:
        return false;
    }
  });
}
