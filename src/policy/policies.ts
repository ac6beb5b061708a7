import type {
  Policies,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { fromPulumiResource, modelKindOfPulumiType, unwrapPolicyProps } from "../adapters/pulumi";
import { patchPulumiProps } from "../adapters/pulumi/patch";
import { audit, checkParameters } from "../engine/audit";
import type { Finding } from "../engine/finding";
import { inProfile } from "../engine/profiles";
import type { Resource } from "../model";
import { allRules } from "../rules/catalog";
import { applies, type Rule, severityRank } from "../rules/rule";
import { defaultEnforcement, type EnforcementLevel, policySeverity } from "./enforcement";
import { EXEMPTIONS_SCHEMA } from "./exemptions-schema";
import { imageVerificationPolicy } from "./image-verification-policy";
import { ruleFramework, ruleTags, ruleUrl } from "./metadata";
import { networkSegmentationPolicy } from "./network-segmentation-policy";
import { type Exemption, findExemption, type PolicyPackOptions, parsePolicyPackOptions } from "./options";
import { imageRegistryPolicy } from "./registry-policy";
import { secretEnvPolicy } from "./secret-env-policy";

function levelFor(rule: Rule, options: PolicyPackOptions): EnforcementLevel {
  const configured = options.levels[rule.id];
  if (configured) return configured;
  if (!inProfile(rule, options.profile)) return "disabled";
  if (rule.pssSince !== undefined && rule.pssSince > options.pssVersion) return "disabled";
  if (severityRank(rule.severity) < severityRank(options.minSeverity)) return "disabled";
  return defaultEnforcement(rule.severity);
}

function exemptionFor(
  rule: Rule,
  options: PolicyPackOptions,
  config: { exemptions?: Exemption[] },
  res: { name: string; urn: string },
): Exemption | undefined {
  return findExemption([...options.exemptions, ...(config.exemptions ?? [])], rule.id, res);
}

function toModel(args: { type: string; name: string; urn: string; props: Record<string, unknown> }) {
  return fromPulumiResource({ type: args.type, name: args.name, urn: args.urn, props: args.props });
}

function describeMeta(rule: Rule, options: PolicyPackOptions) {
  const framework = ruleFramework(rule);
  return {
    name: rule.id,
    description: rule.title,
    displayName: rule.title,
    enforcementLevel: levelFor(rule, options),
    severity: policySeverity(rule),
    remediationSteps: rule.remediation,
    url: ruleUrl(rule),
    tags: ruleTags(rule),
    configSchema: EXEMPTIONS_SCHEMA,
    ...(framework ? { framework } : {}),
  };
}

/** Runs one rule on model objects with the engine's suppression and unknown handling. */
function violations(rule: Rule, resources: Resource[], options: PolicyPackOptions) {
  return audit(resources, { rules: [rule], pssVersion: options.pssVersion, parameters: options.parameters });
}

interface Evaluation {
  resource: Resource | undefined;
  findings: Map<string, Finding[]>;
}

const CACHE_SIZE = 512;

/**
 * The engine calls every policy for every resource, each time with freshly deserialized props.
 * Mapping a resource and running the per-object rules once, then handing each policy its own
 * rule's findings, keeps the pack's cost per resource independent of the number of policies.
 * Keyed by type, URN and props, so changed props (a remediation) are evaluated afresh.
 */
class ResourceEvaluations {
  private readonly cache = new Map<string, Evaluation>();

  constructor(
    private readonly rules: readonly Rule[],
    private readonly options: PolicyPackOptions,
  ) {}

  get(args: { type: string; name: string; urn: string; props: Record<string, unknown> }): Evaluation {
    const key = `${args.type}\n${args.urn}\n${JSON.stringify(unwrapPolicyProps(args.props))}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const resource = toModel(args);
    const findings = new Map<string, Finding[]>();
    if (resource) {
      const { pssVersion, parameters } = this.options;
      for (const f of audit([resource], { rules: this.rules, pssVersion, parameters })) {
        const list = findings.get(f.ruleId) ?? [];
        list.push(f);
        findings.set(f.ruleId, list);
      }
    }
    const evaluation = { resource, findings };
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, evaluation);
    return evaluation;
  }
}

function resourcePolicy(
  rule: Rule,
  options: PolicyPackOptions,
  evaluations: ResourceEvaluations,
): ResourceValidationPolicy {
  const validate = (args: ResourceValidationArgs, report: ReportViolation) => {
    // Decided from the type token, before the props are read. A type the rule does not look
    // at simply passes (as `if (!args.isType(X)) return` does); `notApplicable` is kept for
    // resources the rule would check but deliberately skips (exemptions), where its reason
    // carries information. Throwing it for every other type would dominate the pack's cost.
    const kind = modelKindOfPulumiType(args.type);
    if (kind === undefined || !rule.targets.includes(kind)) return;
    const { resource, findings } = evaluations.get(args);
    if (!resource) args.notApplicable(`shipshape rule ${rule.id} does not look at ${args.type}`);
    // A rule of the other platform (a Kubernetes-only rule on a docker.Container) passes, as
    // an unrelated type does.
    if (!applies(rule, resource)) return;
    const exemption = exemptionFor(rule, options, args.getConfig(), args);
    if (exemption) args.notApplicable(`exempted: ${exemption.reason}`);
    for (const f of findings.get(rule.id) ?? []) report(f.message);
  };
  const policy: ResourceValidationPolicy = { ...describeMeta(rule, options), validateResource: validate };
  if (rule.fixable) {
    policy.remediateResource = (args) => {
      const { resource, findings } = evaluations.get(args);
      if (!resource || !applies(rule, resource)) return undefined;
      if (exemptionFor(rule, options, args.getConfig(), args)) return undefined;
      const patches = (findings.get(rule.id) ?? []).flatMap((f) => f.fix ?? []);
      if (patches.length === 0) return undefined;
      return patchPulumiProps(resource, args.props, patches);
    };
  }
  return policy;
}

function stackPolicy(rule: Rule, options: PolicyPackOptions): StackValidationPolicy {
  return {
    ...describeMeta(rule, options),
    validateStack: (args: StackValidationArgs, report: ReportViolation) => {
      const config = args.getConfig<{ exemptions?: Exemption[] }>();
      const mapped: { resource: Resource; urn: string; name: string }[] = [];
      for (const r of args.resources) {
        const resource = toModel(r);
        if (resource) mapped.push({ resource, urn: r.urn, name: r.name });
      }
      if (!mapped.some((m) => applies(rule, m.resource))) {
        args.notApplicable(`no resource in the stack is looked at by ${rule.id}`);
      }
      const resources = mapped.map((m) => m.resource);
      for (const f of violations(rule, resources, options)) {
        const owner = mapped[f.resourceIndex];
        if (!owner || exemptionFor(rule, options, config, owner)) continue;
        report(f.message, owner.urn);
      }
    },
  };
}

/**
 * The shipshape policies: one per rule of the catalog, resource policies for rules about a
 * single object and stack policies for rules that need the whole graph, plus the registry
 * allow-list. Levels follow `options` (profile, minimum severity, per-rule levels).
 */
export function shipshapePolicies(input: unknown = {}): Policies {
  const options = parsePolicyPackOptions(input);
  try {
    checkParameters(options.parameters);
  } catch (e) {
    throw new Error(`invalid policy pack options:\n  parameters: ${(e as Error).message}`);
  }
  const evaluations = new ResourceEvaluations(
    allRules.filter((r) => r.scope !== "inventory"),
    options,
  );
  const policies: Policies = allRules.map((rule) =>
    rule.scope === "inventory" ? stackPolicy(rule, options) : resourcePolicy(rule, options, evaluations),
  );
  policies.push(
    imageRegistryPolicy(options),
    secretEnvPolicy(options),
    networkSegmentationPolicy(options),
    imageVerificationPolicy(options),
  );
  return policies;
}
