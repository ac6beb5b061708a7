import { isIP } from "node:net";
import {
  describe,
  Inventory,
  locate,
  ObjectPlatform,
  platformOf,
  type Resource,
  type Suppression,
} from "../model";
import { allRules } from "../rules/catalog";
import { peerCoversPlatform } from "../rules/peer-checks";
import { LATEST_PSS_MINOR, type PssMinor } from "../rules/pss/versions";
import {
  ParameterType,
  type ParameterValues,
  parameterValues,
  REFERENCE_FRAMEWORKS,
  type References,
  type Rule,
  type RuleContext,
  type Severity,
  scopeIncludes,
  severityRank,
  type Violation,
} from "../rules/rule";
import type { Finding } from "./finding";
import { MessageInterner, ownString } from "./finding-strings";
import { localeRanks } from "./locale-rank";
import { inProfile, type ProfileId } from "./profiles";

export interface AuditOptions {
  /** @default "default" */
  profile?: ProfileId;
  /** Drop findings below this severity. @default "info" */
  minSeverity?: Severity;
  /** Run only these rule ids. @default every rule of the profile */
  only?: readonly string[];
  /** Never run these rule ids. @default none */
  skip?: readonly string[];
  /** The rule catalog. @default allRules */
  rules?: readonly Rule[];
  /** Pod Security Standards version to enforce (minor of 1.x). @default the newest */
  pssVersion?: PssMinor;
  /** Rule parameter values by rule id (see each rule's `parameters`). @default each default */
  parameters?: Readonly<Record<string, ParameterValues>>;
}

/**
 * Checks `parameters` against the rules' declared parameters: an unknown rule or parameter
 * name, or a value of the wrong type, is an error naming it.
 */
export function checkParameters(
  parameters: Readonly<Record<string, ParameterValues>>,
  catalog: readonly Rule[] = allRules,
): void {
  for (const [ruleId, values] of Object.entries(parameters)) {
    const rule = catalog.find((r) => r.id === ruleId);
    if (!rule) throw new Error(`parameters for unknown rule "${ruleId}"`);
    for (const [name, value] of Object.entries(values)) {
      const declared = rule.parameters?.find((p) => p.name === name);
      if (!declared) {
        const names = (rule.parameters ?? []).map((p) => p.name).join(", ") || "none";
        throw new Error(`rule ${ruleId} has no parameter "${name}" (its parameters: ${names})`);
      }
      if (value === undefined) continue;
      const want =
        declared.type === ParameterType.Number
          ? "number"
          : declared.type === ParameterType.Boolean
            ? "boolean"
            : "string";
      if (typeof value !== want || (declared.type === ParameterType.IpAddress && isIP(String(value)) === 0)) {
        throw new Error(
          `parameter ${ruleId}.${name} must be of type ${declared.type}, got ${JSON.stringify(value)}`,
        );
      }
    }
  }
}

/**
 * The peers' ids a finding cites: the violation's own (for the frameworks it names) else the
 * rule's, keeping only the checks that look at the object's platform.
 */
export function findingReferences(
  rule: Rule,
  v: Violation,
  platform: ObjectPlatform,
  cache: Map<Rule, References[]>,
): References {
  // Findings without their own references share one object per rule and platform.
  if (!v.references) {
    let perPlatform = cache.get(rule);
    if (!perPlatform) {
      perPlatform = [
        narrow(rule.references, ObjectPlatform.Docker),
        narrow(rule.references, ObjectPlatform.Kubernetes),
      ];
      cache.set(rule, perPlatform);
    }
    return perPlatform[platform === ObjectPlatform.Docker ? 0 : 1] as References;
  }
  return narrow({ ...rule.references, ...v.references }, platform);
}

function narrow(refs: References, platform: ObjectPlatform): References {
  const out: References = {};
  for (const f of REFERENCE_FRAMEWORKS) {
    const ids = refs[f]?.filter((id) => peerCoversPlatform(f, id, platform));
    if (ids && ids.length > 0) out[f] = ids;
  }
  return out;
}

/** Picks the rules an audit runs. Unknown ids in `only`/`skip` are an error naming them. */
export function selectRules(options: AuditOptions = {}): Rule[] {
  const catalog = options.rules ?? allRules;
  const known = new Set(catalog.map((r) => r.id));
  const unknown = [...(options.only ?? []), ...(options.skip ?? [])].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new Error(`unknown rule id(s): ${unknown.join(", ")}; run \`shipshape rules\` to list the ids`);
  }
  const profile = options.profile ?? "default";
  const only = options.only && options.only.length > 0 ? new Set(options.only) : undefined;
  const skip = new Set(options.skip ?? []);
  const pssVersion = options.pssVersion ?? LATEST_PSS_MINOR;
  return catalog.filter(
    (r) =>
      (only ? only.has(r.id) : inProfile(r, profile)) &&
      !skip.has(r.id) &&
      (r.pssSince === undefined || r.pssSince <= pssVersion),
  );
}

/** True when the value at `path` (or a parent of it) is not known yet. */
export function isUnknown(resource: Resource, path: string): boolean {
  if (resource.isUnknown?.(path)) return true;
  if (!resource.unknown || resource.unknown.size === 0) return false;
  let p = path;
  for (;;) {
    if (resource.unknown.has(p)) return true;
    const cut = p.lastIndexOf(".");
    if (cut < 0) return false;
    p = p.slice(0, cut);
  }
}

export function suppressionFor(resource: Resource, ruleId: string): Suppression | undefined {
  return resource.suppressions.find((s) => s.ruleIds.includes(ruleId) && s.reason.trim().length >= 10);
}

/**
 * Runs the selected rules over the resources and returns findings in source order.
 * Suppressed violations are dropped; suppressions that matched nothing are reported by the
 * `suppression-unused` rule, which runs after every other rule.
 */
export function audit(resources: readonly Resource[], options: AuditOptions = {}): Finding[] {
  const rules = selectRules(options);
  const inventory = new Inventory(resources);
  const used = new Set<Suppression>();
  // Parameters may name any rule of the catalog, also when this audit runs only some.
  if (options.parameters)
    checkParameters(options.parameters, options.rules ? [...options.rules, ...allRules] : allRules);
  const base: RuleContext = {
    inventory,
    usedSuppressions: used,
    activeRules: new Set(rules.map((r) => r.id)),
    // The catalog's rules are known even when this audit runs a subset (the live audit runs the
    // CIS-checkable ones): a suppression of a catalog rule left out could not have been used.
    knownRules: new Set([...allRules, ...(options.rules ?? [])].map((r) => r.id)),
    pssVersion: options.pssVersion ?? LATEST_PSS_MINOR,
    parameters: {},
  };
  // Each rule sees its own parameter values; rules without parameters share the base context.
  const contexts = new Map<Rule, RuleContext>();
  for (const rule of rules) {
    if ((rule.parameters?.length ?? 0) === 0) continue;
    contexts.set(rule, { ...base, parameters: parameterValues(rule, options.parameters?.[rule.id]) });
  }
  const referenceCache = new Map<Rule, References[]>();
  const min = severityRank(options.minSeverity ?? "info");
  const findings: Finding[] = [];
  const late = rules.filter((r) => r.runsLast);
  const early = rules.filter((r) => !r.runsLast);
  // Each object's name, worked out once per audit rather than once per finding.
  const described: (string | undefined)[] = new Array(resources.length);
  const messages = new MessageInterner();

  const run = (
    { rule, rank, ctx }: Scheduled,
    resource: Resource,
    platform: ObjectPlatform,
    index: number,
  ) => {
    for (const v of rule.check(resource as never, ctx)) {
      if (isUnknown(resource, v.path)) continue;
      const suppression = resource.suppressions.length > 0 ? suppressionFor(resource, rule.id) : undefined;
      if (suppression) {
        used.add(suppression);
        continue;
      }
      if (rank < min) continue;
      const at = locate(resource.origin, v.path);
      let object = described[index];
      if (object === undefined) {
        object = ownString(describe(resource));
        described[index] = object;
      }
      const finding: Finding = {
        ruleId: rule.id,
        severity: rule.severity,
        message: messages.shared(v.message),
        file: at.file,
        line: at.line,
        column: at.column,
        object,
        references: findingReferences(rule, v, platform, referenceCache),
        resourceIndex: index,
      };
      if (v.fix) finding.fix = v.fix;
      findings.push(finding);
    }
  };
  // Object by object, every rule for its kind: each object is read while it is in cache, rather
  // than every object once per rule. Findings are sorted at the end, so the order is the same.
  // The late rules (unused suppressions) start once every other rule has run on every object.
  for (const pass of [early, late]) {
    const scheduled = schedule(pass, (rule) => contexts.get(rule) ?? base);
    for (let i = 0; i < resources.length; i++) {
      const resource = resources[i] as Resource;
      const platform = platformOf(resource);
      for (const entry of scheduled(resource.kind, platform)) run(entry, resource, platform, i);
    }
  }
  return sortFindings(findings);
}

/** A rule ready to run: its severity rank and its context. */
export interface Scheduled {
  rule: Rule;
  rank: number;
  ctx: RuleContext;
}

/**
 * The rules that look at objects of one kind on one platform, in catalog order, worked out
 * once per kind and platform rather than once per object.
 */
export function schedule(
  rules: readonly Rule[],
  contextOf: (rule: Rule) => RuleContext,
): (kind: Resource["kind"], platform: ObjectPlatform) => readonly Scheduled[] {
  const byKind = rulesByKind(rules);
  const docker = new Map<Resource["kind"], Scheduled[]>();
  const kubernetes = new Map<Resource["kind"], Scheduled[]>();
  return (kind, platform) => {
    const cache = platform === ObjectPlatform.Docker ? docker : kubernetes;
    let list = cache.get(kind);
    if (!list) {
      list = (byKind.get(kind) ?? [])
        .filter(({ rule }) => scopeIncludes(rule.platforms, platform))
        .map(({ rule, rank }) => ({ rule, rank, ctx: contextOf(rule) }));
      cache.set(kind, list);
    }
    return list;
  };
}

/** The rules for each kind of object, in catalog order, with their severity ranks. */
function rulesByKind(rules: readonly Rule[]): Map<string, { rule: Rule; rank: number }[]> {
  const out = new Map<string, { rule: Rule; rank: number }[]>();
  for (const rule of rules) {
    const rank = severityRank(rule.severity);
    for (const kind of new Set(rule.targets)) {
      const list = out.get(kind);
      if (list) list.push({ rule, rank });
      else out.set(kind, [{ rule, rank }]);
    }
  }
  return out;
}

export function sortFindings(findings: Finding[]): Finding[] {
  const files = localeRanks(findings.map((f) => f.file));
  const rules = localeRanks(findings.map((f) => f.ruleId));
  const keyed = findings.map((f) => ({
    f,
    file: files.get(f.file) as number,
    rule: rules.get(f.ruleId) as number,
  }));
  keyed.sort((a, b) => a.file - b.file || a.f.line - b.f.line || a.f.column - b.f.column || a.rule - b.rule);
  for (let i = 0; i < keyed.length; i++) findings[i] = (keyed[i] as (typeof keyed)[number]).f;
  return findings;
}
