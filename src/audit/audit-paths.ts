import { type AuditOptions, audit, selectRules } from "../engine/audit";
import type { Finding, InputError, NotAudited } from "../engine/finding";
import type { Resource } from "../model";
import type { Rule } from "../rules/rule";
import { type LoadedFile, loadFile } from "../sources/load";
import type { LoadOptions } from "../sources/source-file";
import { type WalkOptions, type WalkResult, walkPaths } from "../sources/walk";

export interface AuditPathsOptions extends AuditOptions, LoadOptions, WalkOptions {
  /**
   * Files already read, by path, to audit as they were read instead of reading them again: the
   * audit after `--fix` re-reads only the files it rewrote (standard input or a FIFO cannot be
   * read twice). @default none
   */
  reuse?: ReadonlyMap<string, LoadedFile>;
}

/** The outcome of auditing the files and directories of a command line. */
export interface AuditRun {
  findings: Finding[];
  /** Files that could not be read or understood, and bad documents inside files. */
  errors: InputError[];
  /** The rules that ran. */
  rules: Rule[];
  /** Every file read (not skipped), in walk order. */
  files: LoadedFile[];
  /**
   * How many files found in directories were not a format shipshape reads, or were symbolic
   * links leading outside the given paths.
   */
  skipped: number;
  /** Objects left out because no rule checks their kind. */
  notAudited: NotAudited[];
  /** Offset of each file's first object in the audited list (for fixes). */
  offsets: Map<LoadedFile, number>;
  /** Pulumi program directories found (with `programs`), for the caller to check. */
  programs: string[];
}

/**
 * Walks `paths`, loads every file, and audits all their objects together (so rules that
 * relate objects, such as a NetworkPolicy selecting a Deployment, see across files).
 * A file that cannot be read is an error of its own; the other files are still audited.
 */
export function auditPaths(paths: readonly string[], options: AuditPathsOptions = {}): AuditRun {
  // Fail on bad rule ids before reading anything.
  const rules = selectRules(options);
  return auditWalked(walkPaths(paths, walkOptions(options)), options, rules);
}

/** The walk options among an audit's options. */
export function walkOptions(options: AuditPathsOptions): WalkOptions {
  return {
    ...(options.followSymlinks === undefined ? {} : { followSymlinks: options.followSymlinks }),
    ...(options.programs === undefined ? {} : { programs: options.programs }),
  };
}

/** `auditPaths` on files already walked, in this thread. */
export function auditWalked(walked: WalkResult, options: AuditPathsOptions, rules: Rule[]): AuditRun {
  const errors: InputError[] = [...walked.errors];
  const files: LoadedFile[] = [];
  const offsets = new Map<LoadedFile, number>();
  const resources: Resource[] = [];
  // Links leading out of the given paths are not read: they count as skipped.
  let skipped = walked.linksLeavingRoots.length;
  const loadOptions = fileLoadOptions(options);
  const notAudited: NotAudited[] = [];
  for (const w of walked.files) {
    const loaded = options.reuse?.get(w.file) ?? loadFile(w, loadOptions);
    if (loaded.skipped) {
      skipped++;
      continue;
    }
    files.push(loaded);
    errors.push(...loaded.errors);
    if (loaded.source) {
      errors.push(...loaded.source.errors);
      for (const n of loaded.source.notAudited ?? []) notAudited.push(n);
      offsets.set(loaded, resources.length);
      for (const r of loaded.source.resources) resources.push(r);
    }
  }
  const findings = audit(resources, options);
  return { findings, errors, rules, files, skipped, notAudited, offsets, programs: walked.programs };
}

/** The load options among an audit's options. */
export function fileLoadOptions(options: AuditPathsOptions): LoadOptions {
  return {
    ...kindOptions(options),
    ...(options.forFixing === undefined ? {} : { forFixing: options.forFixing }),
    ...(options.keepText === undefined ? {} : { keepText: options.keepText }),
    ...(options.readTimeoutMs === undefined ? {} : { readTimeoutMs: options.readTimeoutMs }),
  };
}

/** The load options that decide which Kubernetes kinds are read. */
export function kindOptions(options: LoadOptions): LoadOptions {
  const out: LoadOptions = {};
  if (options.strictKinds !== undefined) out.strictKinds = options.strictKinds;
  if (options.workloadKinds !== undefined) out.workloadKinds = options.workloadKinds;
  return out;
}
