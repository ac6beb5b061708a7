import { availableParallelism } from "node:os";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { selectRules } from "../engine/audit";
import { joinFindings, type OrderedFinding } from "../engine/file-audit";
import type { InputError, NotAudited } from "../engine/finding";
import type { Resource } from "../model";
import { nodeArgsFor, packageModulePath } from "../program/module-path";
import type { LoadedFile } from "../sources/load";
import { walkPaths } from "../sources/walk";
import {
  type AuditPathsOptions,
  type AuditRun,
  auditWalked,
  fileLoadOptions,
  walkOptions,
} from "./audit-paths";
import { AuditShard, type BatchResult } from "./audit-shard";
import { FindingDecoder } from "./finding-wire";
import type { AuditWorkerData, FileOutcome, FromWorker, ToWorker, WorkItem } from "./parallel-protocol";
import { WorkQueue } from "./work-queue";
import { workerThreadsAlive } from "./worker-threads-alive";

/**
 * Below this many files an audit without `--jobs` stays in one thread: a worker thread costs
 * about half a second of CPU to start (loading the engine, compiling the Compose schema, warming
 * up), which one thread at 1,000 to 2,000 files/s makes up only past a few thousand files.
 */
export const AUTO_PARALLEL_MIN_FILES = 2000;

/** Files per batch sent to a worker at most: small enough to even out, large enough to batch. */
const MAX_BATCH = 64;

/** Batches a worker holds at once: one it works on, one waiting, so it never idles. */
const IN_FLIGHT = 2;

/**
 * A worker's young generation: a file's objects die young, and Node sizes each thread's young
 * generation like the main thread's (up to 192 MiB on a large machine), which would multiply
 * the process's peak memory by the number of workers for no speed.
 */
const WORKER_YOUNG_GENERATION_MB = 32;

/** A parallel audit's outcome: the one-thread audit's, and how many threads audited files. */
export interface ParallelAuditRun extends AuditRun {
  threads: number;
}

/** The `--jobs` default: one thread per core. */
export function defaultJobs(): number {
  return availableParallelism();
}

/**
 * Why an audit runs in this thread whatever `jobs` says, or `undefined` when it can run in
 * workers: `--fix` edits the objects it read, an HTML report quotes the files' texts, a custom
 * rule catalog (functions) cannot cross to a worker, and a re-audit reuses objects read here.
 */
function oneThreadReason(options: AuditPathsOptions): string | undefined {
  if (options.forFixing !== false) return "fixing";
  if (options.keepText === true) return "keeping texts";
  if (options.rules !== undefined) return "custom rules";
  if (options.reuse !== undefined) return "reuse";
  return undefined;
}

/**
 * `auditPaths` file by file, in this thread and `jobs` − 1 worker threads, in two rounds: first
 * the files that may hold objects other files' checks read (network policies, service accounts,
 * roles, daemon configurations; `mayHoldContextObjects`), whose objects are dropped but for
 * compact copies of those and the objects whose checks read them; then, once every copy has
 * been joined and those checks have run, every other file, audited against the copies and
 * dropped at once. The findings, errors and counts are those of `auditPaths`, in the same order
 * (`joinFindings`). `jobs` undefined: one thread per core for trees of
 * `AUTO_PARALLEL_MIN_FILES` files or more, else one. A run that needs the files' objects or
 * texts afterwards (`oneThreadReason`) is `auditPaths` itself.
 */
export function auditPathsParallel(
  paths: readonly string[],
  options: AuditPathsOptions,
  jobs: number | undefined,
  limits: WorkerLimits = {},
): ParallelAuditRun {
  const rules = selectRules(options);
  if (oneThreadReason(options) !== undefined)
    return { ...auditWalked(walkPaths(paths, walkOptions(options)), options, rules), threads: 1 };
  // Bad parameters fail here, before any worker starts.
  const load = fileLoadOptions(options);
  const local = new AuditShard(plainAuditOptions(options), load);
  // With `--jobs` given, workers (one per core at most, before the walk tells how many files
  // there are) load the engine while this thread walks the tree; without it, the walk tells
  // whether the tree is large enough for any.
  const early = jobs === undefined ? 0 : Math.min(jobs, defaultJobs()) - 1;
  let pool = early > 0 ? startWorkers(early, options, limits) : [];
  const stop = (workers: readonly PoolWorker[]) => {
    for (const w of workers) {
      w.port.close();
      void w.worker.terminate();
    }
  };
  let walked: ReturnType<typeof walkPaths>;
  try {
    walked = walkPaths(paths, walkOptions(options));
  } catch (e) {
    stop(pool);
    throw e;
  }
  const wanted = jobs ?? (walked.files.length >= AUTO_PARALLEL_MIN_FILES ? defaultJobs() : 1);
  // This thread is one of the shards: `jobs` 2 starts one worker, 1 none (the same file-by-file
  // audit, in this thread).
  const workers = Math.max(0, Math.min(wanted, walked.files.length) - 1);
  if (pool.length > workers) {
    stop(pool.slice(workers));
    pool = pool.slice(0, workers);
  } else if (pool.length < workers) {
    pool = [...pool, ...startWorkers(workers - pool.length, options, limits, pool.length)];
  }

  const items: WorkItem[] = walked.files.map((w, ordinal) => ({ ordinal, walked: w }));
  const outcomes: (FileOutcome | undefined)[] = new Array(items.length);
  const parts: OrderedFinding[] = [];
  try {
    runPool(pool, local, items, outcomes, parts);
  } finally {
    stop(pool);
  }

  const errors: InputError[] = [...walked.errors];
  const files: LoadedFile[] = [];
  const notAudited: NotAudited[] = [];
  const offsets: number[] = new Array(items.length);
  let skipped = walked.linksLeavingRoots.length;
  let objects = 0;
  for (let ordinal = 0; ordinal < items.length; ordinal++) {
    const outcome = outcomes[ordinal] as FileOutcome;
    offsets[ordinal] = objects;
    if (outcome.skipped) {
      skipped++;
      continue;
    }
    files.push({ file: (items[ordinal] as WorkItem).walked.file, errors: [], skipped: false });
    for (const e of outcome.errors) errors.push(e);
    for (const n of outcome.notAudited) notAudited.push(n);
    objects += outcome.resources;
  }
  const findings = joinFindings(parts, offsets);
  return {
    findings,
    errors,
    rules,
    files,
    skipped,
    notAudited,
    offsets: new Map(),
    programs: walked.programs,
    threads: workers + 1,
  };
}

/** The audit options a worker gets: plain data only. */
function plainAuditOptions(options: AuditPathsOptions): AuditWorkerData["audit"] {
  return {
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.minSeverity === undefined ? {} : { minSeverity: options.minSeverity }),
    ...(options.only === undefined ? {} : { only: options.only }),
    ...(options.skip === undefined ? {} : { skip: options.skip }),
    ...(options.pssVersion === undefined ? {} : { pssVersion: options.pssVersion }),
    ...(options.parameters === undefined ? {} : { parameters: options.parameters }),
  };
}

/** A worker thread failed or stopped: the audit cannot finish (the message says how to run it). */
export class AuditWorkerError extends Error {}

/** Limits of each worker thread. */
export interface WorkerLimits {
  /**
   * The most heap a worker's objects may take, in MiB (V8's old generation): a worker over it
   * dies, and the audit fails naming the files it held. @default V8's own limit
   */
  heapMiB?: number;
}

interface PoolWorker {
  worker: Worker;
  /** Its thread's name (what the operating system lists), to tell that it still runs. */
  name: string;
  /** When it was started, and whether its thread has been seen running since. */
  started: number;
  seen: boolean;
  /** The files of the batches sent and not answered yet, oldest first. */
  inFlight: string[][];
  port: MessagePort;
  /** Batches sent and not answered yet. */
  pending: number;
  /** Rebuilds the findings it sends. */
  decoder: FindingDecoder;
  /** Answered the context. */
  joined: boolean;
}

function shardCount(pool: readonly PoolWorker[]): number {
  return pool.length + 1;
}

/** A shared counter every worker raises after each message; this thread sleeps on it. */
let signalBuffer: Int32Array | undefined;

/** Starts workers numbered `first` to `first + count - 1` (their threads' names). */
function startWorkers(
  count: number,
  options: AuditPathsOptions,
  limits: WorkerLimits,
  first = 0,
): PoolWorker[] {
  const file = packageModulePath(__dirname, "audit-worker");
  signalBuffer ??= new Int32Array(new SharedArrayBuffer(4));
  const pool: PoolWorker[] = [];
  for (let i = first; i < first + count; i++) {
    const { port1, port2 } = new MessageChannel();
    const data: AuditWorkerData = {
      audit: plainAuditOptions(options),
      load: fileLoadOptions(options),
      port: port2,
      signal: signalBuffer,
    };
    // The OS keeps 15 characters of a thread's name: the process id tells audits of several processes apart.
    const name = `ssa${process.pid}.${i}`.slice(0, 15);
    const worker = new Worker(bootstrap(file), {
      eval: true,
      name,
      workerData: data,
      transferList: [port2],
      resourceLimits: {
        maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
        ...(limits.heapMiB === undefined ? {} : { maxOldGenerationSizeMb: limits.heapMiB }),
      },
    });
    // This thread never returns to its event loop while the pool runs; failures arrive as messages.
    worker.on("error", () => undefined);
    worker.unref();
    pool.push({
      worker,
      name,
      started: Date.now(),
      seen: false,
      inFlight: [],
      port: port1,
      pending: 0,
      decoder: new FindingDecoder(),
      joined: false,
    });
  }
  return pool;
}

/** How long a worker's thread may take to appear under its name. */
const THREAD_START_GRACE_MS = 10_000;

/**
 * Fails the audit when a worker that owes an answer no longer runs. A worker that dies without
 * a word (out of memory: V8 stops it before any handler runs) would otherwise be waited for
 * forever: this thread never returns to its event loop, where the worker's exit is announced,
 * so it asks the operating system for the worker's thread by name. Where it cannot tell
 * (no `/proc`), it waits as before.
 */
function checkAlive(pool: readonly PoolWorker[]): void {
  const owing = pool.filter((w) => w.pending > 0 || !w.joined);
  if (owing.length === 0) return;
  const alive = workerThreadsAlive();
  if (alive === undefined) return;
  for (const w of owing) {
    if (alive.has(w.name)) {
      w.seen = true;
      continue;
    }
    // A thread names itself as it starts: one not seen yet may still be starting.
    if (!w.seen && Date.now() - w.started < THREAD_START_GRACE_MS) continue;
    const files = w.inFlight.flat();
    const named = files.slice(0, 3).join(", ") + (files.length > 3 ? ` and ${files.length - 3} more` : "");
    throw new AuditWorkerError(
      `an audit worker stopped without an answer (out of memory?)${files.length > 0 ? ` while auditing ${named}` : ""}; audit with --jobs 1, or give each worker more memory (--worker-heap)`,
    );
  }
}

/**
 * The worker's first code: loads the worker module (through the TypeScript loader when running
 * from the sources) and reports a module that cannot load as a failure message.
 */
function bootstrap(file: string): string {
  const loader =
    nodeArgsFor(file).length > 0 ? `require(${JSON.stringify(require.resolve("tsx/cjs"))});` : "";
  // Each worker is a Node instance of its own: it enables the compile cache the CLI uses.
  return `"use strict";
try { require("node:module").enableCompileCache(); } catch {}
const { workerData } = require("node:worker_threads");
const fail = (e) => {
  workerData.port.postMessage({ type: "failed", message: String((e && e.stack) || e) });
  Atomics.add(workerData.signal, 0, 1);
  Atomics.notify(workerData.signal, 0);
};
process.on("uncaughtException", fail);
try { ${loader} require(${JSON.stringify(file)}); } catch (e) { fail(e); }
`;
}

/**
 * Runs the two rounds: every file is scanned (the files that may hold context objects audited),
 * the context is joined in every shard, then the files left are audited against it. This
 * thread audits batches too, and hands out the next batches as workers answer, so a worker
 * with large files gets fewer.
 */
function runPool(
  pool: PoolWorker[],
  local: AuditShard,
  items: readonly WorkItem[],
  outcomes: (FileOutcome | undefined)[],
  parts: OrderedFinding[],
): void {
  const signal = signalBuffer ?? new Int32Array(1);
  /** The shard that read each file the first round left, when it kept the text. */
  const owners = new Int32Array(items.length).fill(-1);
  const record = (o: FileOutcome, shard: number) => {
    outcomes[o.ordinal] = o;
    if (o.kept === true) owners[o.ordinal] = shard;
  };
  const keep = (result: BatchResult, shard: number) => {
    for (const o of result.outcomes) record(o, shard);
    for (const f of result.findings) parts.push(f);
  };
  /**
   * Takes every message waiting; with `block`, sleeps until one arrives unless `done()` holds.
   */
  const pump = (onFiles: (w: PoolWorker) => void, done: () => boolean, block: boolean) => {
    if (pool.length === 0) return;
    do {
      const seen = Atomics.load(signal, 0);
      let received = false;
      for (let shard = 0; shard < pool.length; shard++) {
        const w = pool[shard] as PoolWorker;
        for (;;) {
          const got = receiveMessageOnPort(w.port);
          if (!got) break;
          received = true;
          const message = got.message as FromWorker;
          if (message.type === "failed")
            throw new AuditWorkerError(`an audit worker failed: ${message.message}`);
          w.decoder.decode(message.findings, parts);
          if (message.type === "joined") w.joined = true;
          else {
            w.pending--;
            w.inFlight.shift();
            for (const o of message.outcomes) record(o, shard);
            onFiles(w);
          }
        }
      }
      if (block && !received && !done() && Atomics.wait(signal, 0, seen, 1000) === "timed-out")
        checkAlive(pool);
    } while (block && !done());
  };
  const localShard = pool.length;
  const shardOf = (w: PoolWorker) => pool.indexOf(w);
  /**
   * One round: batches go out until `queue` is empty; it ends when every shard has answered
   * them all and `settled` holds. Batches shrink as the round nears its end (an eighth of what
   * is left per shard, at most `MAX_BATCH`), so that no thread ends it waiting long for another.
   */
  const round = (type: "scan" | "files", queue: WorkQueue, settled: () => boolean) => {
    const shards = shardCount(pool);
    const batch = () => Math.max(1, Math.min(MAX_BATCH, Math.ceil(queue.remaining / (shards * 8))));
    const feed = (w: PoolWorker) => {
      while (w.pending < IN_FLIGHT && !queue.empty()) {
        const items = queue.take(shardOf(w), batch());
        w.port.postMessage({ type, items } satisfies ToWorker);
        w.pending++;
        w.inFlight.push(items.map((item) => item.walked.file));
      }
    };
    const done = () => queue.empty() && pool.every((w) => w.pending === 0) && settled();
    for (const w of pool) feed(w);
    while (!queue.empty()) {
      const mine = queue.take(localShard, batch());
      keep(type === "scan" ? local.scan(mine) : local.audit(mine), localShard);
      pump(feed, done, false);
    }
    pump(feed, done, true);
  };

  round("scan", new WorkQueue(items, shardCount(pool)), () => true);
  // The context objects of every file, in walk order: only first-round files hold any.
  const context: Resource[] = [];
  for (const o of outcomes) for (const r of (o as FileOutcome).context) context.push(r);
  // A worker reads its messages in order: it joins the context before any file sent after it,
  // so the second round starts at once, and its join's answer arrives among the batches'.
  for (const w of pool) w.port.postMessage({ type: "context", context } satisfies ToWorker);
  for (const f of local.join(context)) parts.push(f);
  // Each file left goes first to the shard that kept its text; a shard out of its own takes others'.
  const later = new WorkQueue([], shardCount(pool));
  for (const item of items) {
    const o = outcomes[item.ordinal];
    if (o?.later === true) later.add(item, o.kept === true ? (owners[item.ordinal] as number) : -1);
  }
  round("files", later, () => pool.every((w) => w.joined));
  local.release();
  for (const w of pool) w.port.postMessage({ type: "close" } satisfies ToWorker);
}
