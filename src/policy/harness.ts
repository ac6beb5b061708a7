import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

/**
 * The SDK's own unknown-checking proxy, so that unknown values behave exactly as under the
 * engine. The module is internal to the SDK (its typings omit these members), hence `require`.
 */
const sdkProxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T>(props: T): T;
  UnknownValueError: new (...args: never[]) => Error;
};
const { unknownCheckingProxy, UnknownValueError } = sdkProxy;

/** A resource as the engine registers it. */
export interface HarnessResource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  /** URNs of resources this one depends on. */
  dependencies?: string[];
  /** URNs each input property depends on, by property name. */
  propertyDependencies?: Record<string, string[]>;
  parent?: string;
}

export interface HarnessViolation {
  policyName: string;
  enforcementLevel: EnforcementLevel;
  severity?: string;
  message: string;
  urn?: string;
}

export interface HarnessResult {
  violations: HarnessViolation[];
  notApplicable: { policyName: string; urn?: string; reason: string }[];
  /** Props after remediation, by URN, for resources a `remediate` policy changed. */
  remediated: Map<string, Record<string, unknown>>;
}

/** Pack configuration as `--policy-pack-config` gives it: per policy name, or `all`. */
export type HarnessConfig = Record<
  string,
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

class NotApplicable extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function isResourcePolicy(p: Policies[number]): p is ResourceValidationPolicy {
  return "validateResource" in p || "remediateResource" in p;
}

function policyConfig(policy: Policies[number], config: HarnessConfig): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [k, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if (schema && typeof schema === "object" && "default" in schema)
      defaults[k] = (schema as { default: unknown }).default;
  }
  const own = config[policy.name];
  return { ...defaults, ...(typeof own === "object" ? own : {}) };
}

function levelOf(
  policy: Policies[number],
  config: HarnessConfig,
  packLevel: EnforcementLevel,
): EnforcementLevel {
  const all = config.all;
  const own = config[policy.name];
  const ownLevel = typeof own === "string" ? own : own?.enforcementLevel;
  const allLevel = typeof all === "string" ? all : all?.enforcementLevel;
  return ownLevel ?? allLevel ?? policy.enforcementLevel ?? packLevel;
}

function commonArgs(config: Record<string, unknown>) {
  return {
    stackTags: new Map<string, string>(),
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason ?? "");
    },
  };
}

const NO_OPTS = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  additionalSecretOutputs: [],
  customTimeouts: {},
};

/**
 * Evaluates policies against resources the way the Pulumi engine's analyzer does: props behind
 * the SDK's unknown-checking proxy, config defaults from each policy's schema, `notApplicable`,
 * remediations before validations, stack policies over the whole graph, and an unknown value
 * turning the policy's result for that resource into an advisory "can't run during preview".
 */
export async function evaluatePolicies(
  policies: Policies,
  resources: readonly HarnessResource[],
  options: { config?: HarnessConfig; packEnforcementLevel?: EnforcementLevel } = {},
): Promise<HarnessResult> {
  const config = options.config ?? {};
  const packLevel = options.packEnforcementLevel ?? "advisory";
  const result: HarnessResult = { violations: [], notApplicable: [], remediated: new Map() };
  const current = resources.map((r) => ({ ...r, props: structuredClone(r.props) }));

  // Remediations first, in policy order, each seeing the previous one's output.
  for (const r of current) {
    for (const p of policies) {
      if (!isResourcePolicy(p) || !p.remediateResource || levelOf(p, config, packLevel) !== "remediate")
        continue;
      const args = resourceArgs(r, policyConfig(p, config));
      try {
        const out = await p.remediateResource(args);
        if (out) {
          r.props = out as Record<string, unknown>;
          result.remediated.set(r.urn, r.props);
        }
      } catch (e) {
        if (!(e instanceof NotApplicable)) throw e;
      }
    }
  }

  const reporter =
    (p: Policies[number], level: EnforcementLevel, urn?: string) =>
    (message: string, reportedUrn?: string): void => {
      const v: HarnessViolation = { policyName: p.name, enforcementLevel: level, message };
      if (p.severity !== undefined) v.severity = p.severity;
      const at = reportedUrn ?? urn;
      if (at !== undefined) v.urn = at;
      result.violations.push(v);
    };
  const cantRun = (p: Policies[number], e: Error, urn?: string): HarnessViolation => ({
    policyName: p.name,
    enforcementLevel: "advisory",
    message: `can't run policy '${p.name}' during preview: ${e.message}`,
    ...(urn === undefined ? {} : { urn }),
  });

  // Like the engine's Analyze call: one resource at a time, every resource policy on it.
  const resourcePolicies = policies.filter(isResourcePolicy).flatMap((p) => {
    const level = levelOf(p, config, packLevel);
    if (level === "disabled") return [];
    // Remediated above; what remains is reported.
    return [
      { p, level: level === "remediate" ? ("advisory" as const) : level, cfg: policyConfig(p, config) },
    ];
  });
  for (const r of current) {
    for (const { p, level, cfg } of resourcePolicies) {
      for (const validate of p.validateResource === undefined ? [] : [p.validateResource].flat()) {
        try {
          await validate(resourceArgs(r, cfg), reporter(p, level, r.urn));
        } catch (e) {
          if (e instanceof NotApplicable)
            result.notApplicable.push({ policyName: p.name, urn: r.urn, reason: e.reason });
          else if (e instanceof UnknownValueError) result.violations.push(cantRun(p, e, r.urn));
          else throw e;
        }
      }
    }
  }

  // Then AnalyzeStack: every stack policy on the whole graph.
  for (const p of policies) {
    if (isResourcePolicy(p)) continue;
    let level = levelOf(p, config, packLevel);
    if (level === "disabled") continue;
    if (level === "remediate") level = "mandatory"; // stack policies cannot remediate
    try {
      await (p as StackValidationPolicy).validateStack(
        stackArgs(current, policyConfig(p, config)),
        reporter(p, level),
      );
    } catch (e) {
      if (e instanceof NotApplicable) result.notApplicable.push({ policyName: p.name, reason: e.reason });
      else if (e instanceof UnknownValueError) result.violations.push(cantRun(p, e));
      else throw e;
    }
  }
  return result;
}

function resourceArgs(r: HarnessResource, config: Record<string, unknown>): ResourceValidationArgs {
  const props = unknownCheckingProxy(structuredClone(r.props));
  return {
    type: r.type,
    props,
    urn: r.urn,
    name: r.name,
    opts: NO_OPTS as unknown as ResourceValidationArgs["opts"],
    isType: () => false,
    asType: () => undefined,
    ...commonArgs(config),
  } as ResourceValidationArgs;
}

function stackArgs(
  resources: readonly HarnessResource[],
  config: Record<string, unknown>,
): StackValidationArgs {
  const byUrn = new Map<string, PolicyResource>();
  const list: PolicyResource[] = resources.map((r) => {
    const pr = {
      type: r.type,
      props: unknownCheckingProxy(structuredClone(r.props)),
      urn: r.urn,
      name: r.name,
      opts: NO_OPTS,
      dependencies: [] as PolicyResource[],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    } as unknown as PolicyResource;
    byUrn.set(r.urn, pr);
    return pr;
  });
  resources.forEach((r, i) => {
    const pr = list[i] as PolicyResource & { parent?: PolicyResource };
    const resolve = (urns: readonly string[]) =>
      urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => x !== undefined);
    pr.dependencies.push(...resolve(r.dependencies ?? []));
    for (const [prop, urns] of Object.entries(r.propertyDependencies ?? {})) {
      pr.propertyDependencies[prop] = resolve(urns);
    }
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) pr.parent = parent;
  });
  return { resources: list, ...commonArgs(config) } as StackValidationArgs;
}
