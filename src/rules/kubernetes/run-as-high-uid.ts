/**
 * Why: low UIDs (1–9999) are where distributions put real host users and system daemons. A
 * container process that escapes its namespaces as, say, uid 1000 owns that host user's
 * files. UIDs of 10000 and above are conventionally unallocated on hosts. Root (0) and an
 * unset user are the business of `run-as-root-uid` / `run-as-non-root`; pods in their own
 * user namespace (`hostUsers: false`) map to unprivileged host ranges and are skipped.
 */
import { defineRule, ParameterType, PlatformScope, type Violation } from "../rule";
import { containerLabel, eachContainer } from "./workload-scope";

export const runAsHighUid = defineRule({
  id: "run-as-high-uid",
  title: "Containers run as a UID of 10000 or more",
  severity: "low",
  rationale:
    "A container UID below 10000 likely matches a real user or daemon on the host; after an escape, or through a shared host mount, the process acts with that user's file permissions.",
  remediation:
    'Run as a UID ≥ 10000 (`securityContext.runAsUser: 10001`, Docker `user: "10001"`) and build the image for it.',
  references: {
    checkov: ["CKV_K8S_40"],
  },
  targets: ["workload"],
  platforms: PlatformScope.Both,
  parameters: [
    {
      name: "minUid",
      type: ParameterType.Number,
      default: 10000,
      description: "The lowest UID a container may run as (UIDs below it are taken to belong to host users).",
    },
  ],
  check(w, ctx) {
    const minUid = Number(ctx.parameters.minUid);
    if (w.hostUsers === false) return [];
    const out: Violation[] = [];
    for (const { container, path } of eachContainer(w)) {
      const own = container.securityContext.runAsUser;
      const uid = own ?? w.securityContext.runAsUser;
      if (uid === undefined || uid === 0 || uid >= minUid) continue;
      out.push({
        path: own !== undefined ? `${path}.securityContext.runAsUser` : "securityContext.runAsUser",
        message: `${containerLabel(container)} runs as uid ${uid}, a range used by host users; run as a uid of ${minUid} or more`,
      });
    }
    return out;
  },
});
