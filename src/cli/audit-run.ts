import { writeFileSync } from "node:fs";
import { type AuditOptions, audit, selectRules } from "../engine/audit";
import type { Finding, InputError, NotAudited } from "../engine/finding";
import type { Resource } from "../model";
import type { Rule } from "../rules/rule";
import { LOADERS, type LoadedFile, loadFile } from "../sources/load";
import type { LoadOptions } from "../sources/source-file";
import { walkPaths } from "../sources/walk";

export interface AuditPathsOptions extends AuditOptions, LoadOptions {}

/** The outcome of auditing the files and directories of a command line. */
export interface AuditRun {
  findings: Finding[];
  /** Files that could not be read or understood, and bad documents inside files. */
  errors: InputError[];
  /** The rules that ran. */
  rules: Rule[];
  /** Every file read (not skipped), in walk order. */
  files: LoadedFile[];
  /** How many files found in directories were not a format shipshape reads. */
  skipped: number;
  /** Objects left out because no rule checks their kind. */
  notAudited: NotAudited[];
  /** Offset of each file's first object in the audited list (for fixes). */
  offsets: Map<LoadedFile, number>;
}

/**
 * Walks `paths`, loads every file, and audits all their objects together (so rules that
 * relate objects, such as a NetworkPolicy selecting a Deployment, see across files).
 * A file that cannot be read is an error of its own; the other files are still audited.
 */
export function auditPaths(paths: readonly string[], options: AuditPathsOptions = {}): AuditRun {
  // Fail on bad rule ids before reading anything.
  const rules = selectRules(options);
  const walked = walkPaths(paths);
  const errors: InputError[] = [...walked.errors];
  const files: LoadedFile[] = [];
  const offsets = new Map<LoadedFile, number>();
  const resources: Resource[] = [];
  let skipped = 0;
  const loadOptions: LoadOptions = {
    ...kindOptions(options),
    ...(options.forFixing === undefined ? {} : { forFixing: options.forFixing }),
  };
  const notAudited: NotAudited[] = [];
  for (const w of walked.files) {
    const loaded = loadFile(w, loadOptions);
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
  return { findings, errors, rules, files, skipped, notAudited, offsets };
}

/** The load options that decide which Kubernetes kinds are read. */
function kindOptions(options: LoadOptions): LoadOptions {
  const out: LoadOptions = {};
  if (options.strictKinds !== undefined) out.strictKinds = options.strictKinds;
  if (options.workloadKinds !== undefined) out.workloadKinds = options.workloadKinds;
  return out;
}

export interface FixOutcome {
  /** Files rewritten, with how many findings each had fixed. */
  fixed: { file: string; fixes: number }[];
  /** Files whose fixes could not be applied safely; they are left untouched. */
  errors: InputError[];
}

/**
 * Writes the automatic fixes of `run`'s findings into their files. Only files with fixable
 * findings whose text really changes are written, so every other file keeps its bytes and
 * mtime. A fixed text that no longer loads as cleanly as the original is not written, and
 * each written file is read back to confirm it still loads.
 */
export function applyFixes(run: AuditRun, options: AuditPathsOptions = {}): FixOutcome {
  const outcome: FixOutcome = { fixed: [], errors: [] };
  const loadOptions = kindOptions(options);
  for (const loaded of run.files) {
    const source = loaded.source;
    const offset = run.offsets.get(loaded);
    if (!source?.applyFixes || offset === undefined || loaded.text === undefined) continue;
    const end = offset + source.resources.length;
    const fixable = run.findings.filter((f) => f.fix && f.resourceIndex >= offset && f.resourceIndex < end);
    if (fixable.length === 0) continue;
    const text = source.applyFixes(fixable, offset);
    if (text === undefined || text === loaded.text) continue;
    const before = source.errors.length;
    const problem = (candidate: LoadedFile): InputError | undefined =>
      candidate.errors[0] ??
      (candidate.source && candidate.source.errors.length > before ? candidate.source.errors[0] : undefined);
    // Check the new text in memory, through the same loader, before touching the file.
    const loader = LOADERS[source.format];
    const broken = loader
      ? problem({
          file: loaded.file,
          source: loader(loaded.file, text, loadOptions),
          errors: [],
          skipped: false,
        })
      : undefined;
    if (broken) {
      outcome.errors.push({
        file: loaded.file,
        message: `automatic fixes would leave the file unreadable (${broken.message}); file left unchanged`,
        line: broken.line ?? 1,
        column: broken.column ?? 1,
      });
      continue;
    }
    writeFileSync(loaded.file, text);
    const readBack = problem(loadFile({ file: loaded.file, explicit: true }, loadOptions));
    if (readBack) {
      writeFileSync(loaded.file, loaded.text);
      outcome.errors.push({
        file: loaded.file,
        message: `fixed file did not read back cleanly (${readBack.message}); original restored`,
        line: readBack.line ?? 1,
        column: readBack.column ?? 1,
      });
      continue;
    }
    outcome.fixed.push({ file: loaded.file, fixes: fixable.length });
  }
  return outcome;
}
