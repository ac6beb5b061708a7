import { describe, Inventory, locate, type Resource, type Suppression } from "../model";
import { allRules } from "../rules/catalog";
import { type Rule, type RuleContext, type Severity, severityRank } from "../rules/rule";
import type { Finding } from "./finding";
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
  return catalog.filter((r) => (only ? only.has(r.id) : inProfile(r, profile)) && !skip.has(r.id));
}

/** True when the value at `path` (or a parent of it) is not known yet. */
function isUnknown(resource: Resource, path: string): boolean {
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

function suppressionFor(resource: Resource, ruleId: string): Suppression | undefined {
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
  const ctx: RuleContext = {
    inventory,
    usedSuppressions: used,
    activeRules: new Set(rules.map((r) => r.id)),
    knownRules: new Set((options.rules ?? allRules).map((r) => r.id)),
  };
  const min = severityRank(options.minSeverity ?? "info");
  const findings: Finding[] = [];
  const late = rules.filter((r) => r.runsLast);
  const early = rules.filter((r) => !r.runsLast);
  // Each object's name, worked out once per audit rather than once per finding.
  const described: (string | undefined)[] = new Array(resources.length);
  // Identical messages (`container "app" sets no …` in every copy of a workload) share one
  // string: a million findings otherwise hold a million copies.
  const messages = new Map<string, string>();
  const shared = (message: string): string => {
    const known = messages.get(message);
    if (known !== undefined) return known;
    messages.set(message, message);
    return message;
  };

  const run = (rule: Rule, rank: number, resource: Resource, index: number) => {
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
        object = describe(resource);
        described[index] = object;
      }
      const finding: Finding = {
        ruleId: rule.id,
        severity: rule.severity,
        message: shared(v.message),
        file: at.file,
        line: at.line,
        column: at.column,
        object,
        references: rule.references,
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
    const byKind = rulesByKind(pass);
    for (let i = 0; i < resources.length; i++) {
      const resource = resources[i] as Resource;
      for (const { rule, rank } of byKind.get(resource.kind) ?? []) run(rule, rank, resource, i);
    }
  }
  return sortFindings(findings);
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
  return findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.ruleId.localeCompare(b.ruleId),
  );
}
