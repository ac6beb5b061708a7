import { Inventory, type Resource } from "../../../src/model";
import { LATEST_PSS_MINOR } from "../../../src/rules/pss/versions";
import {
  applies,
  type ParameterValues,
  parameterValues,
  type Rule,
  type RuleContext,
  type Violation,
} from "../../../src/rules/rule";

/** Runs one rule on one resource, as the engine does (minus suppressions and locations). */
export function runRule(
  rule: Rule,
  resource: Resource,
  others: Resource[] = [],
  parameters: ParameterValues = {},
): Violation[] {
  const ctx: RuleContext = {
    inventory: new Inventory([resource, ...others]),
    usedSuppressions: new Set(),
    activeRules: new Set([rule.id]),
    knownRules: new Set([rule.id]),
    pssVersion: LATEST_PSS_MINOR,
    parameters: parameterValues(rule, parameters),
  };
  if (!applies(rule, resource)) return [];
  return rule.check(resource as never, ctx);
}

export function paths(rule: Rule, resource: Resource): string[] {
  return runRule(rule, resource).map((v) => v.path);
}
