/** What the liveness and readiness rules share. */
import type { Probe, Workload } from "../../model";
import type { Violation } from "../rule";
import { containerLabel, eachContainer, isLongRunning } from "./workload-scope";

/**
 * One violation per regular container of a long-running Kubernetes workload without the probe.
 * Jobs run to completion and init/ephemeral containers cannot have these probes, so they are
 * skipped; Docker health checks are a different rule.
 */
export function missingProbe(w: Workload, kind: Probe["kind"], consequence: string): Violation[] {
  if (!isLongRunning(w)) return [];
  return eachContainer(w, ["container"]).flatMap(({ container, path }) =>
    container.probes.some((p) => p.kind === kind && !p.disabled)
      ? []
      : [
          {
            path: `${path}.probes.${kind}`,
            message: `${containerLabel(container)} has no ${kind}Probe; ${consequence}`,
          },
        ],
  );
}
