/**
 * The NetworkPolicies of a namespace indexed by what their pod selector requires, so that
 * finding the policies that select a pod costs the pod's labels, not the namespace's policies:
 * matching every pod against every policy is quadratic in a large namespace.
 */
import type { NetworkPolicy } from "../../model";
import { selects } from "./label-selector";

interface PolicyIndex {
  /** Policies whose selector selects every pod (`podSelector: {}`). */
  everyPod: NetworkPolicy[];
  /** Policies with `matchLabels` only, under one of their `key=value` pairs. */
  byLabel: Map<string, NetworkPolicy[]>;
  /** Policies with expressions, checked one by one. */
  others: NetworkPolicy[];
}

/** Built once per list: the inventory hands out the same list for a namespace each time. */
const indexes = new WeakMap<readonly NetworkPolicy[], PolicyIndex>();

function labelKey(key: string, value: string): string {
  return `${key}=${value}`;
}

function indexOf(policies: readonly NetworkPolicy[]): PolicyIndex {
  let index = indexes.get(policies);
  if (index) return index;
  index = { everyPod: [], byLabel: new Map(), others: [] };
  for (const p of policies) {
    const { matchLabels, matchExpressions } = p.podSelector;
    if (matchExpressions.length > 0) {
      index.others.push(p);
      continue;
    }
    let first: string | undefined;
    for (const key in matchLabels) {
      if (Object.hasOwn(matchLabels, key)) {
        first = labelKey(key, matchLabels[key] as string);
        break;
      }
    }
    if (first === undefined) {
      index.everyPod.push(p);
      continue;
    }
    const list = index.byLabel.get(first);
    if (list) list.push(p);
    else index.byLabel.set(first, [p]);
  }
  indexes.set(policies, index);
  return index;
}

/** The policies of `policies` whose pod selector selects a pod with `labels`, in no set order. */
export function policiesSelecting(
  policies: readonly NetworkPolicy[],
  labels: Record<string, string>,
): NetworkPolicy[] {
  const index = indexOf(policies);
  const out = [...index.everyPod];
  for (const key in labels) {
    if (!Object.hasOwn(labels, key)) continue;
    for (const p of index.byLabel.get(labelKey(key, labels[key] as string)) ?? []) {
      if (selects(p.podSelector, labels)) out.push(p);
    }
  }
  for (const p of index.others) if (selects(p.podSelector, labels)) out.push(p);
  return out;
}
