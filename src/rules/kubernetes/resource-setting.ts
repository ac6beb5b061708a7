/** What the four resource request/limit rules share: which containers, which message. */
import type { ResourceLimits, Workload } from "../../model";
import type { Violation } from "../rule";
import { containerLabel, eachContainer } from "./workload-scope";

/** Model key → how Kubernetes spells it, for messages. */
const SPELLING: Record<"cpuLimit" | "memoryLimit" | "cpuRequest" | "memoryRequest", string> = {
  cpuLimit: "resources.limits.cpu",
  memoryLimit: "resources.limits.memory",
  cpuRequest: "resources.requests.cpu",
  memoryRequest: "resources.requests.memory",
};

/**
 * One violation per regular or init container missing the setting. Ephemeral (debug)
 * containers cannot declare resources, so they are never reported.
 */
export function missingResource(w: Workload, key: keyof typeof SPELLING, hint: string): Violation[] {
  return eachContainer(w, ["container", "init"]).flatMap(({ container, path }) => {
    const value: ResourceLimits[typeof key] = container.resources[key];
    if (value !== undefined && value !== "") return [];
    return [
      {
        path: `${path}.resources.${key}`,
        message: `${containerLabel(container)} sets no ${SPELLING[key]}; ${hint}`,
      },
    ];
  });
}
