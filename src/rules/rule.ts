import {
  type Inventory,
  type ObjectPlatform,
  platformOf,
  type Resource,
  type ResourceKind,
  type ResourceOfKind,
  type Suppression,
} from "../model";
import type { PssMinor } from "./pss/versions";

import { SEVERITIES, type Severity } from "./severity";

export { SEVERITIES, type Severity } from "./severity";

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
  /**
   * The peers' checks this violation answers, per framework, when a rule covers checks of
   * different scope (host network vs host PID); a subset of the rule's references. Frameworks
   * left out cite the rule's own ids.
   */
  references?: References;
}

/** The platforms a rule applies to. */
export enum PlatformScope {
  Docker = "docker",
  Kubernetes = "kubernetes",
  Both = "both",
}

/** True when a rule of `scope` looks at objects of `platform`. */
export function scopeIncludes(scope: PlatformScope, platform: ObjectPlatform): boolean {
  return scope === PlatformScope.Both || (scope as string) === (platform as string);
}

/** The type of a rule parameter's value. */
export enum ParameterType {
  String = "string",
  Number = "number",
  Boolean = "boolean",
  IpAddress = "ip-address",
}

/** A setting of a rule, declared as data so that RULES.md and `shipshape rules` show it. */
export interface RuleParameter {
  name: string;
  type: ParameterType;
  /** The value when none is given; `undefined` means the behaviour it enables is off. */
  default?: string | number | boolean;
  description: string;
}

/** Values of a rule's parameters, by name. */
export type ParameterValues = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * A place where shipshape deliberately judges differently from a peer's check it is compared
 * with (RULES.md shows these per rule).
 */
export interface Difference {
  framework: keyof References;
  /** The peer's check id. */
  id: string;
  /** How shipshape differs, and why. */
  note: string;
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
  /** The values of the running rule's parameters (defaults filled in). */
  parameters: ParameterValues;
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
  /** Where shipshape deliberately differs from a cited (or compared) peer check. @default [] */
  differences?: readonly Difference[];
  /** The platforms whose objects the rule looks at. */
  platforms: PlatformScope;
  /** The rule's settings. @default [] */
  parameters?: readonly RuleParameter[];
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

/** True when a rule looks at the resource: a kind it targets, on a platform it covers. */
export function applies(rule: Rule, resource: Resource): boolean {
  return rule.targets.includes(resource.kind) && scopeIncludes(rule.platforms, platformOf(resource));
}

/** The parameter values of a rule: its defaults, overridden by `given`. */
export function parameterValues(rule: RuleMeta, given: ParameterValues = {}): ParameterValues {
  const out: Record<string, string | number | boolean | undefined> = {};
  for (const p of rule.parameters ?? []) out[p.name] = given[p.name] ?? p.default;
  return out;
}
