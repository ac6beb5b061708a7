import type { CapturedResource } from "../program/mock-run";
import { runProgram } from "../program/run-program";
import { evaluatePolicies, type HarnessConfig, type HarnessResource, type HarnessResult } from "./harness";
import { shipshapePolicies } from "./policies";

export interface CheckOptions {
  /** Pack settings (profile, minSeverity, levels, allowedRegistries, verifiedImages, …). @default {} */
  settings?: unknown;
  /** CrossGuard-style per-policy config, as `--policy-pack-config` takes it. @default {} */
  config?: HarnessConfig;
}

export interface CheckResult extends HarnessResult {
  /** Resources the program registered (component resources included). */
  resources: HarnessResource[];
}

const PROJECT = "check";
const STACK = "check";

function asHarnessResource(r: CapturedResource): HarnessResource {
  return {
    type: r.type,
    name: r.name,
    urn: `urn:pulumi:${STACK}::${PROJECT}::${r.type}::${r.name}`,
    props: r.inputs,
  };
}

/**
 * `shipshape check`: runs a Pulumi program in-process under the mock runtime, collects what it
 * registers and evaluates the shipshape policy pack on it as the engine would at preview.
 */
export async function checkProgram(programDir: string, options: CheckOptions = {}): Promise<CheckResult> {
  const captured = await runProgram(programDir, { project: PROJECT, stack: STACK });
  const resources = captured.map(asHarnessResource);
  const policies = shipshapePolicies(options.settings ?? {});
  const result = await evaluatePolicies(policies, resources, { config: options.config ?? {} });
  return { ...result, resources };
}
