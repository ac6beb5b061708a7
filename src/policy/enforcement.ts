import type { Rule, Severity } from "../rules/rule";

/** CrossGuard's enforcement levels. */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

/**
 * Default level by severity: what can be exploited from inside a container (critical, high)
 * blocks the deployment; the rest is reported without blocking.
 */
export function defaultEnforcement(severity: Severity): EnforcementLevel {
  return severity === "critical" || severity === "high" ? "mandatory" : "advisory";
}

/** CrossGuard has no `info` severity; it is reported as `low`. */
export function policySeverity(rule: Rule): "low" | "medium" | "high" | "critical" {
  return rule.severity === "info" ? "low" : rule.severity;
}
