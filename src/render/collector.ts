import type { SecureServiceArgs } from "../components/secure-service/args";

/**
 * One SecureService as the program declared it, kept for `shipshape render`, which validates
 * and renders the args again for the target it was asked for.
 */
export interface CollectedService {
  name: string;
  args: SecureServiceArgs;
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
