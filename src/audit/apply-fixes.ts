import { FixRefusedError } from "../adapters/yaml-patch";
import type { Finding, InputError } from "../engine/finding";
import { LOADERS, type LoadedFile } from "../sources/load";
import { writeFileAtomic } from "./atomic-write";
import { type AuditPathsOptions, type AuditRun, kindOptions } from "./audit-paths";
import { whyNotWritable } from "./fix-target";

export interface FixOutcome {
  /** Files rewritten, with how many findings each had fixed. */
  fixed: { file: string; fixes: number }[];
  /** Files whose fixes could not be applied safely; they are left untouched. */
  errors: InputError[];
}

/**
 * Writes the automatic fixes of `run`'s findings into their files. Only files with fixable
 * findings whose text really changes are written, so every other file keeps its bytes and
 * mtime. Each file is written safely or not at all:
 * - the fixed text must load as cleanly as the original, through the same loader;
 * - the file must still be the one that was read (same content and identity), must not be
 *   reached through a symbolic link, and must be writable (not read-only, not immutable);
 * - it is replaced atomically (`writeFileAtomic`), keeping its mode and owner, so a full disk
 *   or a crash leaves the original.
 * A file that fails is reported on its own, with the files already fixed before it named; the
 * other files are still fixed.
 */
export function applyFixes(run: AuditRun, options: AuditPathsOptions = {}): FixOutcome {
  const outcome: FixOutcome = { fixed: [], errors: [] };
  const loadOptions = kindOptions(options);
  const refuse = (loaded: LoadedFile, message: string, line = 1, column = 1) => {
    const before = outcome.fixed.map((f) => f.file);
    const already = before.length > 0 ? `; files already fixed before it: ${before.join(", ")}` : "";
    outcome.errors.push({
      file: loaded.file,
      message: `${message}; file left unchanged${already}`,
      line,
      column,
    });
  };
  const fixableByFile = fixableFindingsByFile(run);
  for (const loaded of run.files) {
    const source = loaded.source;
    const offset = run.offsets.get(loaded);
    if (!source?.applyFixes || offset === undefined || loaded.text === undefined) continue;
    const fixable = fixableByFile.get(loaded) ?? [];
    if (fixable.length === 0) continue;
    let text: string | undefined;
    try {
      text = source.applyFixes(fixable, offset);
    } catch (e) {
      if (!(e instanceof FixRefusedError)) throw e;
      const at = e.offset === undefined ? { line: 1, column: 1 } : positionOf(loaded.text, e.offset);
      refuse(loaded, `cannot fix: ${e.message}`, at.line, at.column);
      continue;
    }
    if (text === undefined || text === loaded.text) continue;
    const before = source.errors.length;
    // Check the new text in memory, through the same loader, before touching the file.
    const loader = LOADERS[source.format];
    const candidate = loader?.(loaded.file, text, loadOptions);
    const broken = candidate && candidate.errors.length > before ? candidate.errors[before] : undefined;
    if (broken) {
      refuse(
        loaded,
        `automatic fixes would leave the file unreadable (${broken.message})`,
        broken.line ?? 1,
        broken.column ?? 1,
      );
      continue;
    }
    const notWritable = whyNotWritable(loaded);
    if (notWritable) {
      refuse(loaded, notWritable);
      continue;
    }
    const fixedText = text;
    try {
      writeFileAtomic(loaded.file, (write) => write(fixedText), loaded.identity);
    } catch (e) {
      refuse(loaded, `cannot write the fixed file: ${(e as Error).message}`);
      continue;
    }
    outcome.fixed.push({ file: loaded.file, fixes: fixable.length });
  }
  return outcome;
}

/**
 * The fixable findings of each file, found by the file whose range of object indexes holds the
 * finding's (a binary search over the files in walk order): one pass over the findings, rather
 * than one per file.
 */
function fixableFindingsByFile(run: AuditRun): Map<LoadedFile, Finding[]> {
  const ranges = run.files
    .flatMap((loaded) => {
      const offset = run.offsets.get(loaded);
      const count = loaded.source?.resources.length ?? 0;
      return offset === undefined || count === 0 ? [] : [{ loaded, offset, end: offset + count }];
    })
    .sort((a, b) => a.offset - b.offset);
  const out = new Map<LoadedFile, Finding[]>();
  for (const finding of run.findings) {
    if (!finding.fix) continue;
    let low = 0;
    let high = ranges.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const range = ranges[mid] as (typeof ranges)[number];
      if (finding.resourceIndex < range.offset) high = mid - 1;
      else if (finding.resourceIndex >= range.end) low = mid + 1;
      else {
        const list = out.get(range.loaded);
        if (list) list.push(finding);
        else out.set(range.loaded, [finding]);
        break;
      }
    }
  }
  return out;
}

/** 1-based line and column of a character offset. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
