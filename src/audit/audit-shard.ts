import type { ReadTextResult } from "../adapters/read-text";
import type { AuditOptions } from "../engine/audit";
import { FileAuditor, type OrderedFinding } from "../engine/file-audit";
import type { Resource } from "../model";
import { mayHoldContextObjects } from "../sources/context-scan";
import { detectFormat, loadFile, readSourceText, readTextOptions } from "../sources/load";
import type { LoadOptions } from "../sources/source-file";
import type { FileOutcome, WorkItem } from "./parallel-protocol";

/**
 * The most text a shard keeps between the rounds, in characters: the files the first round read
 * and left are audited from it instead of being opened and read a second time. Past it, a file
 * is read again. At 1.4 KB a manifest, 4 Mi characters cover about 3,000 files a shard: on the
 * 10,000-manifest corpus 8 % less CPU with --jobs 1, and 6 MiB more peak memory with --jobs 2
 * at 20,000 (16 Mi characters took 29 MiB more).
 */
export const KEPT_TEXT_CHARS = 4 * 1024 * 1024;

/** What a batch of files gave. */
export interface BatchResult {
  outcomes: FileOutcome[];
  findings: OrderedFinding[];
}

/**
 * One thread's share of a parallel audit: it reads, parses and audits the files it is given,
 * one at a time, in two rounds around the join of the context (see `scan`, `join`, `audit`).
 * The CLI's thread runs one and every worker thread another.
 */
export class AuditShard {
  private readonly auditor: FileAuditor;
  /** Texts the first round read and left, by ordinal (see `KEPT_TEXT_CHARS`). */
  private readonly kept = new Map<number, ReadTextResult>();
  private keptChars = 0;

  constructor(
    audit: AuditOptions,
    private readonly load: LoadOptions,
    private readonly keepLimit = KEPT_TEXT_CHARS,
  ) {
    this.auditor = new FileAuditor(audit);
  }

  /**
   * First round: a file that may hold context objects is audited now (objects whose checks read
   * other files' objects wait for the join); so is anything but a regular file (a pipe cannot
   * be read twice), an unreadable file and a Dockerfile (a build reads nothing of other files).
   * Any other file is only read, to tell, and left for the second round (`later`); its text is
   * kept for that round while the shard's budget allows (`kept`).
   */
  scan(items: readonly WorkItem[]): BatchResult {
    return this.batch(items, (item) => {
      const read = readSourceText(item.walked.file, readTextOptions(this.load));
      if (
        "error" in read ||
        read.identity === undefined ||
        mayHoldContextObjects(item.walked.file, read.text) ||
        detectFormat(item.walked.file, read.text) === "dockerfile"
      )
        return this.auditOne(item, read);
      const keep = this.keptChars + read.text.length <= this.keepLimit;
      if (keep) {
        this.kept.set(item.ordinal, read);
        this.keptChars += read.text.length;
      }
      return {
        outcome: {
          ordinal: item.ordinal,
          later: true,
          ...(keep ? { kept: true } : {}),
          skipped: false,
          errors: [],
          notAudited: [],
          resources: 0,
          context: [],
        },
        findings: [],
      };
    });
  }

  /** The join: `context` holds every file's context objects, in walk order. */
  join(context: readonly Resource[]): OrderedFinding[] {
    return this.auditor.join(context);
  }

  /**
   * Second round: files the first round read and left, from the text kept of them when this
   * shard kept it. Should one read again now hold context objects (it was rewritten in between),
   * it is an error of its own: its objects come too late for the join.
   */
  audit(items: readonly WorkItem[]): BatchResult {
    return this.batch(items, (item) => {
      const kept = this.kept.get(item.ordinal);
      if (kept !== undefined) {
        this.kept.delete(item.ordinal);
        return this.auditOne(item, kept);
      }
      const read = readSourceText(item.walked.file, readTextOptions(this.load));
      if (!("error" in read) && mayHoldContextObjects(item.walked.file, read.text)) {
        const error = {
          file: item.walked.file,
          message: "the file changed while it was being audited; run the audit again",
          line: 1,
          column: 1,
        };
        return {
          outcome: {
            ordinal: item.ordinal,
            skipped: false,
            errors: [error],
            notAudited: [],
            resources: 0,
            context: [],
          },
          findings: [],
        };
      }
      return this.auditOne(item, read);
    });
  }

  /** Drops the texts still kept (files another shard audited). */
  release(): void {
    this.kept.clear();
    this.keptChars = 0;
  }

  private batch(
    items: readonly WorkItem[],
    one: (item: WorkItem) => { outcome: FileOutcome; findings: OrderedFinding[] },
  ): BatchResult {
    const outcomes: FileOutcome[] = [];
    const findings: OrderedFinding[] = [];
    for (const item of items) {
      const done = one(item);
      outcomes.push(done.outcome);
      for (const f of done.findings) findings.push(f);
    }
    return { outcomes, findings };
  }

  /** Reads (unless `read` is its text), parses and audits one file. */
  private auditOne(
    item: WorkItem,
    read: ReadTextResult,
  ): { outcome: FileOutcome; findings: OrderedFinding[] } {
    const loaded = loadFile(item.walked, this.load, read);
    const outcome: FileOutcome = {
      ordinal: item.ordinal,
      skipped: loaded.skipped,
      errors: loaded.errors,
      notAudited: [],
      resources: 0,
      context: [],
    };
    const source = loaded.source;
    if (!source || loaded.skipped) return { outcome, findings: [] };
    outcome.errors = [...loaded.errors, ...source.errors];
    outcome.notAudited = source.notAudited ?? [];
    outcome.resources = source.resources.length;
    const result = this.auditor.auditFile(source.resources, item.ordinal);
    outcome.context = result.context;
    return { outcome, findings: result.findings };
  }
}
