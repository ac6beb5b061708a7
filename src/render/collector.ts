import type * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "../components/secure-service/spec";
import type { Platform } from "../platform/platform";

/** One SecureService as the program declared it, kept for `shipshape render`. */
export interface CollectedService {
  spec: ServiceSpec;
  platform: Platform;
  image: pulumi.Input<string>;
}

export interface RenderCollector {
  services: CollectedService[];
}

// A global symbol, so that the program's copy of shipshape and the CLI's copy share it even
// when they are two module instances.
const KEY = Symbol.for("shipshape.render.collector");

type WithCollector = { [KEY]?: RenderCollector };

/** Starts collecting; components declared from now on are recorded. */
export function startCollecting(): RenderCollector {
  const collector: RenderCollector = { services: [] };
  (globalThis as WithCollector)[KEY] = collector;
  return collector;
}

export function stopCollecting(): void {
  delete (globalThis as WithCollector)[KEY];
}

/** The active collector, when `shipshape render` runs the program. */
export function activeCollector(): RenderCollector | undefined {
  return (globalThis as WithCollector)[KEY];
}
