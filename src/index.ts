// The public API: re-exports only.

export { fromPulumiResource, type PulumiResourceInput } from "./adapters/pulumi";
export { type AuditOptions, audit, selectRules } from "./engine/audit";
export type { Finding, InputError } from "./engine/finding";
export { PROFILES, type ProfileId } from "./engine/profiles";
export * from "./model";
export * from "./policy";
export { allRules, outOfScope, ruleById } from "./rules/catalog";
export * from "./rules/rule";
export * from "./components";
export { collectProgram, RenderTarget, renderProgram, renderServices } from "./render";
