import { dirname } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type CapturedResource, runUnderMocks } from "../render/mock-run";
import { programEntry } from "../render/render";
import { evaluatePolicies, type HarnessConfig, type HarnessResource, type HarnessResult } from "./harness";
import { shipshapePolicies } from "./policies";

export interface CheckOptions {
  /** Pack settings (profile, minSeverity, levels, allowedRegistries, exemptions). @default {} */
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
  const entry = programEntry(programDir);
  if (entry.endsWith(".ts")) {
    // tsx handles every TypeScript program; without it Node's type stripping loads most.
    try {
      (require("tsx/cjs/api") as { register: () => void }).register();
    } catch {
      // Node strips types itself.
    }
  }
  const sdks: { module: typeof pulumi; dir: string }[] = [{ module: pulumi, dir: __dirname }];
  try {
    const theirs = require(require.resolve("@pulumi/pulumi", { paths: [dirname(entry)] })) as typeof pulumi;
    if (theirs !== pulumi) sdks.push({ module: theirs, dir: dirname(entry) });
  } catch {
    // The program uses our SDK.
  }
  const captured = await runUnderMocks(
    () => {
      const exported = require(entry) as unknown;
      const fn = (exported as { default?: unknown })?.default ?? exported;
      return typeof fn === "function" ? (fn as () => unknown)() : undefined;
    },
    { project: PROJECT, stack: STACK, sdks },
  );
  const resources = captured.map(asHarnessResource);
  const policies = shipshapePolicies(options.settings ?? {});
  const result = await evaluatePolicies(policies, resources, { config: options.config ?? {} });
  return { ...result, resources };
}
