import { audit } from "../engine/audit";
import type { Finding } from "../engine/finding";
import type { ProfileId } from "../engine/profiles";
import type { Severity } from "../rules/rule";
import { liveAuditRules } from "./live-rules";
import { type EngineSnapshot, type ReadEngineOptions, readEngine, snapshotResources } from "./read-engine";

export interface EngineAuditOptions extends ReadEngineOptions {
  /** Narrow the live rules to a profile's. @default "default" */
  profile?: ProfileId;
  /** Drop findings below this severity. @default "info" */
  minSeverity?: Severity;
  /** Run only these rule ids (among the live rules). */
  only?: readonly string[];
  /** Never run these rule ids. */
  skip?: readonly string[];
}

export interface EngineAuditResult {
  snapshot: EngineSnapshot;
  findings: Finding[];
}

/**
 * The live audit: reads the engine into the model and runs the CIS section 2 and 5 rules (plus the
 * image checks inspect data allows) through the same engine as every other audit.
 */
export async function auditEngine(options: EngineAuditOptions = {}): Promise<EngineAuditResult> {
  const snapshot = await readEngine(options);
  const rules = liveAuditRules();
  const auditOptions: Parameters<typeof audit>[1] = { rules };
  if (options.profile) auditOptions.profile = options.profile;
  if (options.minSeverity) auditOptions.minSeverity = options.minSeverity;
  if (options.only) auditOptions.only = options.only;
  if (options.skip) auditOptions.skip = options.skip;
  const findings = audit(snapshotResources(snapshot), auditOptions);
  return { snapshot, findings };
}

/** Findings per severity, every severity present (zero when none). */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
