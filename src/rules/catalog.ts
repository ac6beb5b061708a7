import { dockerOutOfScope, dockerRules } from "./docker";
import { kubernetesOutOfScope, kubernetesRules } from "./kubernetes";
import type { OutOfScope } from "./out-of-scope";
import { pssOutOfScope, pssRules } from "./pss";
import type { Rule } from "./rule";
import { suppressionRules } from "./suppression";

/** Every rule shipshape has, in catalog order. */
export const allRules: readonly Rule[] = [
  ...pssRules,
  ...kubernetesRules,
  ...dockerRules,
  ...suppressionRules,
];

/** Checks of other tools that shipshape deliberately does not implement, with the reason. */
export const outOfScope: readonly OutOfScope[] = [
  ...pssOutOfScope,
  ...kubernetesOutOfScope,
  ...dockerOutOfScope,
];

const byId = new Map(allRules.map((r) => [r.id, r]));
if (byId.size !== allRules.length) {
  const dup = allRules.find((r, i) => allRules.findIndex((other) => other.id === r.id) !== i);
  throw new Error(`duplicate rule id in catalog: ${dup?.id}`);
}

export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
