import type { MessagePort } from "node:worker_threads";
import type { AuditOptions } from "../engine/audit";
import type { InputError, NotAudited } from "../engine/finding";
import type { Resource } from "../model";
import type { LoadOptions } from "../sources/source-file";
import type { WalkedFile } from "../sources/walk";
import type { WireFindings } from "./finding-wire";

/** What an audit worker starts with (plain data: it crosses by structured clone). */
export interface AuditWorkerData {
  /** The audit's options, without a custom rule catalog (functions cannot cross). */
  audit: Omit<AuditOptions, "rules">;
  load: LoadOptions;
  /** The worker's end of its channel. */
  port: MessagePort;
  /** Raised (and notified) by the worker after each message it posts: the CLI waits on it. */
  signal: Int32Array;
}

/** A file to audit, with its place in walk order. */
export interface WorkItem {
  ordinal: number;
  walked: WalkedFile;
}

export type ToWorker =
  /**
   * First round: audit the files that may hold context objects (and those named on the command
   * line, which may be pipes, read once); only read the others, and leave them for later.
   */
  | { type: "scan"; items: WorkItem[] }
  /** The context objects of every file, in walk order: finish the checks that waited for them. */
  | { type: "context"; context: Resource[] }
  /** Second round: audit these files against the context. */
  | { type: "files"; items: WorkItem[] }
  /** Done: exit. */
  | { type: "close" };

/** What became of one file in a worker. */
export interface FileOutcome {
  ordinal: number;
  /** Read in the first round and left for the second: nothing else is set yet. */
  later?: boolean;
  /** Left for later, and the shard that read it kept its text for the second round. */
  kept?: boolean;
  skipped: boolean;
  /** The file's own errors, then those of its documents, as the one-thread audit lists them. */
  errors: InputError[];
  notAudited: NotAudited[];
  /** How many objects the file holds (0 without a source). */
  resources: number;
  /** Compact copies of its network policies, service accounts, roles and daemon configurations. */
  context: Resource[];
}

export type FromWorker =
  | {
      type: "scan" | "files";
      outcomes: FileOutcome[];
      findings: WireFindings;
    }
  | { type: "joined"; findings: WireFindings }
  | { type: "failed"; message: string };
