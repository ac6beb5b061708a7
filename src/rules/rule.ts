import type { Inventory, Resource, ResourceKind, ResourceOfKind, Suppression } from "../model";
import type { PssMinor } from "./pss/versions";

export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/**
 * The controls a rule implements, by framework. Each entry is a list of that framework's ids:
 * - `pss`: Pod Security Standards check ids as in Kubernetes' pod-security-admission library
 * - `cis`: CIS Docker Benchmark 1.6 recommendation numbers
 * - `kubeLinter`, `checkov`, `polaris`, `kics`, `hadolint`: those tools' check ids
 */
export interface References {
  pss?: string[];
  cis?: string[];
  kubeLinter?: string[];
  checkov?: string[];
  polaris?: string[];
  kics?: string[];
  hadolint?: string[];
}

export const REFERENCE_FRAMEWORKS = [
  "pss",
  "cis",
  "kubeLinter",
  "checkov",
  "polaris",
  "kics",
  "hadolint",
] as const satisfies readonly (keyof References)[];

/** A change to a model object that fixes a violation; adapters turn it into a source edit. */
export type Patch =
  | { op: "set"; path: string; value: unknown }
  | { op: "remove"; path: string }
  /** Add `value` to the list at `path` (creating it), unless already present. */
  | { op: "add-to-list"; path: string; value: unknown }
  /** Remove every element equal to `value` from the list at `path`. */
  | { op: "remove-from-list"; path: string; value: unknown };

/** One thing a rule found wrong with one object. */
export interface Violation {
  /** Model path of the offending field (see `Origin.locations`). */
  path: string;
  message: string;
  /** The automatic fix for this violation, when there is a safe one. */
  fix?: Patch[];
}

/** Pod Security Standards level a rule belongs to. */
export type PssLevel = "baseline" | "restricted";

export interface RuleContext {
  inventory: Inventory;
  /** Suppressions that silenced a violation so far (read by rules with `runsLast`). */
  usedSuppressions: ReadonlySet<Suppression>;
  /** Ids of the rules this audit runs. */
  activeRules: ReadonlySet<string>;
  /** Ids of every rule in the catalog. */
  knownRules: ReadonlySet<string>;
  /** The Pod Security Standards version enforced (minor of 1.x); rules read its differences. */
  pssVersion: PssMinor;
}

export interface RuleMeta {
  /** Stable kebab-case id; never reused for a different check. */
  id: string;
  title: string;
  severity: Severity;
  /** Why the check matters. */
  rationale: string;
  /** How to fix what it reports. */
  remediation: string;
  references: References;
  /** PSS level, for rules that implement a Pod Security Standards check. */
  pssLevel?: PssLevel;
  /** The first Pod Security Standards version with this check; older versions skip the rule. */
  pssSince?: PssMinor;
  /** Which kinds of model object the rule looks at. */
  targets: readonly ResourceKind[];
  /** True when violations carry an automatic fix. */
  fixable?: boolean;
  /** Runs after every other rule (rules about suppressions). */
  runsLast?: boolean;
  /**
   * `inventory` when the rule reads other objects through `ctx.inventory` (network policies,
   * bindings…); the policy pack runs such rules as stack policies. @default "object"
   */
  scope?: "object" | "inventory";
}

export interface Rule<K extends ResourceKind = ResourceKind> extends RuleMeta {
  targets: readonly K[];
  check(resource: ResourceOfKind<K>, ctx: RuleContext): Violation[];
}

/** Declares a rule with `check` typed by its targets. */
export function defineRule<const K extends ResourceKind>(rule: Rule<K>): Rule {
  return rule as unknown as Rule;
}

/** Runs a rule on one resource if it targets that kind. */
export function applies(rule: Rule, resource: Resource): boolean {
  return rule.targets.includes(resource.kind);
}
