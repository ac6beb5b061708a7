// The public API: re-exports only.

export { fromPulumiResource, type PulumiResourceInput } from "./adapters/pulumi";
export { applyFixes, type FixOutcome } from "./audit/apply-fixes";
export { type AuditPathsOptions, type AuditRun, auditPaths } from "./audit/audit-paths";
export * from "./components";
export * from "./components/daemon-audit";
export * from "./components/hardened-daemon";
export * from "./daemon-config";
export { type AuditOptions, audit, selectRules } from "./engine/audit";
export type { Finding, InputError } from "./engine/finding";
export { PROFILES, type ProfileId } from "./engine/profiles";
export {
  auditEngine,
  countBySeverity,
  type EngineAuditOptions,
  type EngineAuditResult,
  type EngineSnapshot,
  EngineUnreachableError,
  liveAuditRules,
  type ReadEngineOptions,
  readEngine,
} from "./live";
export * from "./model";
export * from "./policy";
export { collectProgram, RenderTarget, renderProgram, renderServices } from "./render";
export * from "./report";
export { allRules, outOfScope, ruleById } from "./rules/catalog";
export * from "./rules/rule";
export {
  detectFormat,
  type FileFormat,
  LOADERS,
  type LoadedFile,
  loadFile,
  readSourceText,
} from "./sources/load";
export { type WalkedFile, walkPaths } from "./sources/walk";
