import { writeFileSync } from "node:fs";
import type { InputError } from "../engine/finding";
import { LOADERS, type LoadedFile, loadFile } from "../sources/load";
import type { LoadOptions } from "../sources/source-file";
import type { AuditPathsOptions, AuditRun } from "./audit-paths";

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
  const loadOptions: LoadOptions =
    options.allowUnknownKinds === undefined ? {} : { allowUnknownKinds: options.allowUnknownKinds };
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
