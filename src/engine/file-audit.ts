import {
  describe,
  Inventory,
  locate,
  type ObjectPlatform,
  type Origin,
  platformOf,
  type Resource,
  type ResourceKind,
  type ResourceOfKind,
  type Suppression,
} from "../model";
import { allRules } from "../rules/catalog";
import { LATEST_PSS_MINOR } from "../rules/pss/versions";
import { parameterValues, type References, type Rule, type RuleContext, severityRank } from "../rules/rule";
import {
  type AuditOptions,
  checkParameters,
  findingReferences,
  isUnknown,
  type Scheduled,
  schedule,
  selectRules,
  suppressionFor,
} from "./audit";
import type { Finding } from "./finding";
import { MessageInterner, ownString } from "./finding-strings";
import { localeRanks } from "./locale-rank";

/**
 * The kinds of object that rules read through `ctx.inventory` (network policies, service
 * accounts, RBAC roles, daemon configurations). A file audit hands a compact copy of each such
 * object to the join; nothing else of a file outlives its audit except the objects whose checks
 * read the inventory. A rule that reads another kind is an internal error, never a silent miss.
 */
export const CONTEXT_KINDS: ReadonlySet<ResourceKind> = new Set<ResourceKind>([
  "networkPolicy",
  "serviceAccount",
  "role",
  "daemon",
]);

/**
 * A finding of a file audit with what places it in the one-thread audit's order among findings
 * at the same file, line, column and rule: that audit runs every early rule on every object, in
 * object order, then the late rules (`runsLast`); on one object, the rules in schedule order;
 * for one rule, its violations in the order it returned them.
 */
export interface OrderedFinding {
  /** `resourceIndex` is the object's index within its file until the join offsets it. */
  finding: Finding;
  /** The file's place in walk order. */
  ordinal: number;
  /** 0 for the early rules, 1 for the late ones. */
  pass: number;
  /** The rule's place in the object's schedule × 2^32 + the violation's place in its result. */
  order: number;
}

/** What a file's audit leaves for the join. */
export interface FileAuditResult {
  findings: OrderedFinding[];
  /** Compact copies of the file's objects of the `CONTEXT_KINDS`, in file order. */
  context: Resource[];
  /** True when some checks of the file's objects wait for the other files' context objects. */
  deferred: boolean;
}

/** Thrown (one shared value, no stack) by the inventory of a file audit when a rule reads it. */
const NEEDS_INVENTORY: unique symbol = Symbol("needs the inventory");

/** The inventory a file audit gives rules: any read defers the check to the join. */
function tripwireInventory(): Inventory {
  const inventory = new Inventory([]);
  const trip = (): never => {
    throw NEEDS_INVENTORY;
  };
  Object.defineProperty(inventory, "resources", { get: trip });
  inventory.of = trip;
  inventory.inNamespace = trip;
  return inventory;
}

/** The join's inventory: every file's context objects; any other kind is an internal error. */
function contextInventory(context: readonly Resource[]): Inventory {
  const inventory = new Inventory(context);
  const guard = (kind: ResourceKind) => {
    if (!CONTEXT_KINDS.has(kind)) {
      throw new Error(
        `internal error: a rule reads ${kind} objects through the inventory, which a parallel audit does not collect; add the kind to CONTEXT_KINDS (src/engine/file-audit.ts)`,
      );
    }
  };
  const of = inventory.of.bind(inventory);
  const inNamespace = inventory.inNamespace.bind(inventory);
  Object.defineProperty(inventory, "resources", {
    get: () => {
      throw new Error(
        "internal error: a rule reads every object of the inventory, which a parallel audit does not collect",
      );
    },
  });
  inventory.of = <K extends ResourceKind>(kind: K): ResourceOfKind<K>[] => {
    guard(kind);
    return of(kind);
  };
  inventory.inNamespace = <K extends ResourceKind>(kind: K, namespace: string) => {
    guard(kind);
    return inNamespace(kind, namespace);
  };
  return inventory;
}

/**
 * An object reduced to what another object's check may read of it: its fields, without the
 * functions of its origin (which hold its file's positions) or of its adapter. It crosses to
 * other threads by structured clone.
 */
export function contextCopy(resource: Resource): Resource {
  const origin: Origin = {
    format: resource.origin.format,
    file: resource.origin.file,
    location: resource.origin.location,
    locations: new Map(),
  };
  if (resource.origin.documentIndex !== undefined) origin.documentIndex = resource.origin.documentIndex;
  const copy = { ...resource, origin } as Resource & { isUnknown?: unknown };
  delete copy.isUnknown;
  return copy;
}

/** An object whose checks wait for the join. */
interface Deferred {
  resource: Resource;
  ordinal: number;
  index: number;
  platform: ObjectPlatform;
  /** Positions in the early schedule of the checks that read the inventory. */
  early: number[];
  /** Positions in the late schedule still to run: all of them when some early check waits. */
  late: number[];
}

/**
 * Audits files one at a time, so that a file's objects can be dropped once it is audited, and
 * gives exactly the findings of `audit()` over all the files' objects together: the checks that
 * read other objects (`ctx.inventory`) are detected as they run (the file audit's inventory
 * stops them), kept with their object, and finished by `join` against every file's context
 * objects. Suppressions work per object, so the late rules of an object wait with it.
 */
export class FileAuditor {
  private readonly used = new Set<Suppression>();
  private readonly min: number;
  private readonly referenceCache = new Map<Rule, References[]>();
  private readonly messages = new MessageInterner();
  private readonly early: ReturnType<typeof schedule>;
  private readonly late: ReturnType<typeof schedule>;
  private readonly rules: Rule[];
  private readonly contextFor: (inventory: Inventory) => (rule: Rule) => RuleContext;
  private readonly deferred: Deferred[] = [];
  /** The schedules against the joined context, once `join` ran. */
  private joined: { early: ReturnType<typeof schedule>; late: ReturnType<typeof schedule> } | undefined;

  constructor(options: AuditOptions = {}) {
    this.rules = selectRules(options);
    if (options.parameters)
      checkParameters(options.parameters, options.rules ? [...options.rules, ...allRules] : allRules);
    this.min = severityRank(options.minSeverity ?? "info");
    const activeRules = new Set(this.rules.map((r) => r.id));
    const knownRules = new Set((options.rules ?? allRules).map((r) => r.id));
    this.contextFor = (inventory) => {
      const base: RuleContext = {
        inventory,
        usedSuppressions: this.used,
        activeRules,
        knownRules,
        pssVersion: options.pssVersion ?? LATEST_PSS_MINOR,
        parameters: {},
      };
      const contexts = new Map<Rule, RuleContext>();
      for (const rule of this.rules) {
        if ((rule.parameters?.length ?? 0) === 0) continue;
        contexts.set(rule, { ...base, parameters: parameterValues(rule, options.parameters?.[rule.id]) });
      }
      return (rule) => contexts.get(rule) ?? base;
    };
    const contextOf = this.contextFor(tripwireInventory());
    this.early = schedule(
      this.rules.filter((r) => !r.runsLast),
      contextOf,
    );
    this.late = schedule(
      this.rules.filter((r) => r.runsLast),
      contextOf,
    );
  }

  /**
   * Audits one file's objects; `ordinal` is the file's place in walk order. Before `join`, the
   * checks that read the inventory wait (`deferred`); after it, they run at once against the
   * joined context, and the file must hold no context object (its copy would come too late).
   */
  auditFile(resources: readonly Resource[], ordinal: number): FileAuditResult {
    const findings: OrderedFinding[] = [];
    const context: Resource[] = [];
    const described: (string | undefined)[] = new Array(resources.length);
    const joined = this.joined;
    const early = joined ? joined.early : this.early;
    const late = joined ? joined.late : this.late;
    const waiting: Deferred[] = [];
    for (let index = 0; index < resources.length; index++) {
      const resource = resources[index] as Resource;
      if (CONTEXT_KINDS.has(resource.kind)) {
        if (joined) {
          throw new Error(
            `internal error: ${describe(resource)} in ${resource.origin.file} was audited after the context was joined`,
          );
        }
        context.push(contextCopy(resource));
      }
      const platform = platformOf(resource);
      const wait: Deferred = { resource, ordinal, index, platform, early: [], late: [] };
      const scheduled = early(resource.kind, platform);
      for (let pos = 0; pos < scheduled.length; pos++) {
        if (
          !this.run(
            scheduled[pos] as Scheduled,
            resource,
            platform,
            ordinal,
            index,
            0,
            pos,
            described,
            findings,
          )
        )
          wait.early.push(pos);
      }
      waiting.push(wait);
    }
    // The late rules once every early rule ran on every object of the file.
    for (const wait of waiting) {
      const scheduled = late(wait.resource.kind, wait.platform);
      for (let pos = 0; pos < scheduled.length; pos++) {
        if (
          wait.early.length > 0 ||
          !this.run(
            scheduled[pos] as Scheduled,
            wait.resource,
            wait.platform,
            ordinal,
            wait.index,
            1,
            pos,
            described,
            findings,
          )
        )
          wait.late.push(pos);
      }
    }
    let deferred = false;
    for (const wait of waiting) {
      if (wait.early.length + wait.late.length === 0) continue;
      if (joined)
        throw new Error(`internal error: a check of ${describe(wait.resource)} waits after the join`);
      this.deferred.push(wait);
      deferred = true;
    }
    return { findings, context, deferred };
  }

  /**
   * Joins the context: `context` holds the context objects of every file of the audit that can
   * hold one, in walk order (`contextCopy` of each, as `auditFile` returned them). Runs the
   * checks that waited for it and returns their findings; files audited from now on are
   * checked against it at once.
   */
  join(context: readonly Resource[]): OrderedFinding[] {
    if (this.joined) throw new Error("internal error: the context is joined twice");
    const contextOf = this.contextFor(contextInventory(context));
    const joined = {
      early: schedule(
        this.rules.filter((r) => !r.runsLast),
        contextOf,
      ),
      late: schedule(
        this.rules.filter((r) => r.runsLast),
        contextOf,
      ),
    };
    this.joined = joined;
    const findings: OrderedFinding[] = [];
    // Every early check before any late one, as the one-thread audit runs them.
    for (const [pass, passSchedule] of [
      [0, joined.early],
      [1, joined.late],
    ] as const) {
      for (const d of this.deferred) {
        const scheduled = passSchedule(d.resource.kind, d.platform);
        const described: (string | undefined)[] = [];
        for (const pos of pass === 0 ? d.early : d.late) {
          const entry = scheduled[pos] as Scheduled;
          if (
            !this.run(entry, d.resource, d.platform, d.ordinal, 0, pass, pos, described, findings, d.index)
          ) {
            throw new Error(
              `internal error: rule ${entry.rule.id} still reads the inventory of a file audit`,
            );
          }
        }
      }
    }
    this.deferred.length = 0;
    return findings;
  }

  /**
   * Runs one rule on one object like `audit()` does; false (and nothing recorded) when the rule
   * read the file audit's inventory.
   */
  private run(
    { rule, rank, ctx }: Scheduled,
    resource: Resource,
    platform: ObjectPlatform,
    ordinal: number,
    slot: number,
    pass: number,
    pos: number,
    described: (string | undefined)[],
    out: OrderedFinding[],
    index = slot,
  ): boolean {
    let violations: ReturnType<Rule["check"]>;
    try {
      violations = rule.check(resource as never, ctx);
    } catch (e) {
      if (e === NEEDS_INVENTORY) return false;
      throw e;
    }
    let seq = 0;
    for (const v of violations) {
      const order = pos * 2 ** 32 + seq++;
      if (isUnknown(resource, v.path)) continue;
      const suppression = resource.suppressions.length > 0 ? suppressionFor(resource, rule.id) : undefined;
      if (suppression) {
        this.used.add(suppression);
        continue;
      }
      if (rank < this.min) continue;
      const at = locate(resource.origin, v.path);
      let object = described[slot];
      if (object === undefined) {
        object = ownString(describe(resource));
        described[slot] = object;
      }
      const finding: Finding = {
        ruleId: rule.id,
        severity: rule.severity,
        message: this.messages.shared(v.message),
        file: at.file,
        line: at.line,
        column: at.column,
        object,
        references: findingReferences(rule, v, platform, this.referenceCache),
        resourceIndex: index,
      };
      if (v.fix) finding.fix = v.fix;
      out.push({ finding, ordinal, pass, order });
    }
    return true;
  }
}

/**
 * Sorts the findings of every file audit into the one-thread audit's order: file, line, column
 * and rule id, then as that audit found them (pass, object in walk order, rule, violation).
 * `offsets[ordinal]` is the index of the file's first object among all the audited objects;
 * each finding's `resourceIndex` becomes its object's index among them.
 */
export function joinFindings(parts: readonly OrderedFinding[], offsets: readonly number[]): Finding[] {
  const files = localeRanks(parts.map((p) => p.finding.file));
  const rules = localeRanks(parts.map((p) => p.finding.ruleId));
  const keyed = parts.map((p) => {
    p.finding.resourceIndex += offsets[p.ordinal] ?? 0;
    return { p, file: files.get(p.finding.file) as number, rule: rules.get(p.finding.ruleId) as number };
  });
  keyed.sort(
    (a, b) =>
      a.file - b.file ||
      a.p.finding.line - b.p.finding.line ||
      a.p.finding.column - b.p.finding.column ||
      a.rule - b.rule ||
      a.p.pass - b.p.pass ||
      a.p.finding.resourceIndex - b.p.finding.resourceIndex ||
      a.p.order - b.p.order,
  );
  return keyed.map((k) => k.p.finding);
}
