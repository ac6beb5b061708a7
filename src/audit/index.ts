// `shipshape/audit`: the rules, the audit engine, the file and engine readers, and the reporters
// that the `shipshape` command line is made of. Re-exports only.

export { fromPulumiResource, type PulumiResourceInput } from "../adapters/pulumi";
export * from "../daemon-config";
export { type AuditOptions, audit, selectRules } from "../engine/audit";
export type { Finding, InputError } from "../engine/finding";
export { PROFILES, type ProfileId } from "../engine/profiles";
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
} from "../live";
export { programServices, RenderTarget, renderProgram, renderServices } from "../render";
export * from "../report";
export { allRules, outOfScope, ruleById } from "../rules/catalog";
export * from "../rules/rule";
export {
  detectFormat,
  type FileFormat,
  LOADERS,
  type LoadedFile,
  loadFile,
  readSourceText,
} from "../sources/load";
export { type WalkedFile, walkPaths } from "../sources/walk";
export { applyFixes, type FixOutcome } from "./apply-fixes";
export { type AuditPathsOptions, type AuditRun, auditPaths } from "./audit-paths";
