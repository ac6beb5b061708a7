/**
 * The audit benchmark: `npm run bench`.
 *
 * Generates a deterministic corpus into bench/.corpus (git-ignored; rebuilt when a generator
 * changes), then audits it twice:
 * - in-process with the built engine, file by file as `shipshape audit --jobs 1` does, per
 *   format and all together;
 * - through the real CLI process (dist/src/cli/main.js, built first if stale), pinned to one
 *   core with `taskset` when available.
 * It prints files/s by wall-clock time and by CPU time (the fairer number on a shared machine),
 * and peak memory (maxRSS). Target: ≥ 2,000 files/s on one core.
 *
 * Beside each in-process audit it prints the floor: the same files only read and parsed, with
 * the same parsers (the fast YAML reader or the `yaml` library for Kubernetes and Compose,
 * dockerfile-ast for Dockerfiles), and the full audit's CPU time as a
 * multiple of it. Through the CLI it runs `--jobs 1` (pinned to one core) and `--jobs N` (N the
 * cores) and prints the N-job/1-job throughput ratio and each run's peak memory.
 *
 * Options: --formats kubernetes,… (default: all); --skip-cli; --skip-in-process; --rounds N
 * (in-process runs of the floor and of the audit, taking turns; the median of each is printed,
 * default 5);
 * --scale (peak memory of the CLI at 10,000 and at 20,000 manifests, a second copy of the
 * Kubernetes corpus); --peers (kube-score, trivy config and checkov on the same files, when
 * installed: see bench/peers.ts).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { countFlag, flagValue } from "./args";
import { CORPUS_FORMATS, ensureCorpus } from "./corpus";
import { kubernetesCorpus } from "./corpus/kubernetes";
import { runPeers } from "./peers";

const ROOT = resolve(__dirname, "..");
const CORPUS = join(__dirname, ".corpus");
const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const TARGET_FILES_PER_SECOND = 2000;
/** The project's Node (scripts/env.sh): another major version measures something else. */
const NODE_MAJOR = 24;

/**
 * The engine as the CLI runs it: the built modules of dist/ (plain JavaScript, no TypeScript
 * loader in the timed part), required once `ensureBuilt` ran.
 */
function engine() {
  const built = (module: string) => join(ROOT, "dist", "src", module);
  return {
    ...(require(built("adapters/compose/parse")) as typeof import("../src/adapters/compose/parse")),
    ...(require(built("adapters/yaml-source")) as typeof import("../src/adapters/yaml-source")),
    ...(require(built("sources/load")) as typeof import("../src/sources/load")),
    ...(require(built("sources/walk")) as typeof import("../src/sources/walk")),
    ...(require(built("audit/parallel-audit")) as typeof import("../src/audit/parallel-audit")),
  };
}

interface Measure {
  label: string;
  files: number;
  wallMs: number;
  cpuMs: number;
  maxRssMiB: number;
  /** Files/s by CPU to meet; `undefined` prints none (a corpus of a few very large files). */
  target: number | undefined;
  /** Bytes read, for MB/s beside files/s. */
  bytes?: number;
  detail?: string;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

function print(m: Measure): void {
  const wall = (m.files / m.wallMs) * 1000;
  const cpu = (m.files / m.cpuMs) * 1000;
  const verdict = m.target === undefined ? "" : `  (${cpu >= m.target ? "meets" : "misses"} ${m.target}/s)`;
  const mb = m.bytes === undefined ? "" : `  ${(m.bytes / 1e6 / (m.cpuMs / 1000)).toFixed(1)} MB/s cpu`;
  console.log(
    `${m.label.padEnd(34)} ${String(m.files).padStart(6)} files  ${wall.toFixed(0).padStart(6)} files/s wall  ${cpu
      .toFixed(0)
      .padStart(
        6,
      )} files/s cpu${mb}  peak ${m.maxRssMiB.toFixed(0)} MiB${verdict}${m.detail ? `\n${" ".repeat(36)}${m.detail}` : ""}`,
  );
}

/**
 * The floor: `dirs` walked, read and parsed with the parsers the loaders use, and nothing else
 * (no model, no rules, no report).
 */
function readAndParse(label: string, dirs: string[], target: number | undefined): Measure {
  const { DockerfileParser } = require("dockerfile-ast") as typeof import("dockerfile-ast");
  const { walkPaths, readSourceText, detectFormat, parseComposeYaml, parseYamlFile } = engine();
  let bytes = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const walked = walkPaths(dirs);
  let documents = 0;
  let failed = 0;
  // YAML files the fast reader gives up on (before or after parsing them): the full read decides.
  let slow = 0;
  for (const w of walked.files) {
    const read = readSourceText(w.file);
    if ("error" in read) {
      failed++;
      continue;
    }
    bytes += read.text.length;
    try {
      switch (detectFormat(w.file, read.text)) {
        case "compose":
          parseComposeYaml(w.file, read.text);
          documents++;
          break;
        case "dockerfile":
          documents += DockerfileParser.parse(read.text).getInstructions().length > 0 ? 1 : 0;
          break;
        case "daemon-json":
          JSON.parse(read.text);
          documents++;
          break;
        default: {
          const docs = parseYamlFile(w.file, read.text);
          documents += docs.length;
          if (docs[0] !== undefined && "doc" in docs[0]) slow++;
        }
      }
    } catch {
      failed++;
    }
  }
  const t1 = performance.now();
  return {
    label,
    files: walked.files.length,
    wallMs: t1 - t0,
    cpuMs: cpuMs(c0),
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    target,
    bytes,
    detail: `read+parse only: ${documents} documents, ${failed} unreadable or invalid, ${slow} YAML files left by the fast reader to the full read`,
  };
}

let gc: (() => void) | undefined;

/** A full garbage collection now (V8's `gc`, exposed for this process on first use). */
function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}

/** The run whose CPU time is the median of `runs` (the upper one of an even count). */
function medianByCpu(runs: readonly Measure[]): Measure {
  return [...runs].sort((a, b) => a.cpuMs - b.cpuMs)[Math.floor(runs.length / 2)] as Measure;
}

/**
 * Audits `dirs` in this process as `shipshape audit --jobs 1` does, without its process start
 * and report: file by file (each file's objects dropped once audited, the cross-file checks
 * joined from the context objects), every rule, the findings sorted.
 */
function inProcess(label: string, dirs: string[], target: number | undefined, bytes?: number): Measure {
  const { auditPathsParallel } = engine();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const run = auditPathsParallel(dirs, { forFixing: false, programs: false }, 1);
  const t1 = performance.now();
  return {
    label,
    files: run.files.length,
    wallMs: t1 - t0,
    cpuMs: cpuMs(c0),
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    target,
    ...(bytes === undefined ? {} : { bytes }),
    detail: `file by file, as the CLI with --jobs 1: ${run.findings.length} findings, ${run.errors.length} errors`,
  };
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith(".ts"))
      newest = Math.max(newest, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestSource(join(ROOT, "src"))) return;
  console.log("building dist/ (tsc -p tsconfig.json)…");
  spawnSync(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
  if (!existsSync(CLI)) throw new Error(`build did not produce ${CLI}`);
}

function hasTaskset(): boolean {
  try {
    execFileSync("taskset", ["-c", "0", "true"]);
    return true;
  } catch {
    return false;
  }
}

/** Runs the real CLI over `dirs` and reads its peak memory and CPU time from the probe. */
function throughCli(
  label: string,
  dirs: string[],
  files: number,
  pin: boolean,
  jobs: number,
  target: number | undefined,
): Measure {
  const nodeArgs = [
    "--require",
    join(__dirname, "rss-probe.cjs"),
    CLI,
    "audit",
    "--format",
    "json",
    "--output",
    "/dev/null",
    "--jobs",
    String(jobs),
    ...dirs,
  ];
  const [command, args] = pin
    ? ["taskset", ["-c", "0", process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const t0 = performance.now();
  const result = spawnSync(command as string, args as string[], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = performance.now() - t0;
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`the CLI exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
  }
  const probe = /SHIPSHAPE_BENCH (\{.*\})/.exec(result.stderr);
  if (!probe?.[1]) throw new Error(`no measurement from the CLI process: ${result.stderr.slice(0, 2000)}`);
  // Exit 1 is "findings", but also what Node exits with on a crash: the audit itself writes
  // nothing to standard error, so anything there besides the probe means the run is no measure.
  const said = result.stderr.replace(/\n?SHIPSHAPE_BENCH \{.*\}\n?/, "").trim();
  if (said !== "") throw new Error(`the CLI exited ${result.status} saying: ${said.slice(0, 2000)}`);
  const { maxRssKiB, cpuMicros, mainThreadCpuMicros, v8HelperCpuMicros } = JSON.parse(probe[1]) as {
    maxRssKiB: number;
    cpuMicros: number;
    mainThreadCpuMicros?: number;
    v8HelperCpuMicros?: number;
  };
  return {
    label,
    files,
    wallMs,
    cpuMs: cpuMicros / 1000,
    maxRssMiB: maxRssKiB / 1024,
    target,
    detail: `exit ${result.status}, --jobs ${jobs}${pin ? ", pinned to one core" : ""}; wall time includes Node start-up${threadSplit(cpuMicros, jobs, mainThreadCpuMicros, v8HelperCpuMicros)}`,
  };
}

/**
 * The process's CPU time by thread: the main thread, V8's helper threads (its optimizing
 * compilers and its concurrent and parallel garbage collection, which each isolate feeds) and,
 * with workers, what is left: the audit's worker threads. Empty where the probe could not tell.
 */
function threadSplit(
  totalMicros: number,
  jobs: number,
  mainMicros: number | undefined,
  helperMicros: number | undefined,
): string {
  if (mainMicros === undefined || helperMicros === undefined) return "";
  const s = (micros: number) => `${(micros / 1e6).toFixed(2)} s`;
  const rest = Math.max(0, totalMicros - mainMicros - helperMicros);
  return `\n${" ".repeat(36)}CPU by thread: main ${s(mainMicros)}, V8's compilers and GC helpers ${s(helperMicros)}, ${jobs > 1 ? "audit workers" : "other threads"} ${s(rest)}`;
}

function main(): void {
  const wanted = flagValue("--formats")?.split(",");
  const formats = CORPUS_FORMATS.filter((f) => !wanted || wanted.includes(f.name));
  if (formats.length === 0)
    throw new Error(`--formats: valid values are ${CORPUS_FORMATS.map((f) => f.name).join(", ")}`);
  const dirs = formats.map((f) => {
    const t = performance.now();
    const dir = ensureCorpus(CORPUS, f);
    console.log(
      `corpus ${f.name}: ${f.count} files in ${dir} (${(performance.now() - t).toFixed(0)} ms to ensure)`,
    );
    return { format: f, dir };
  });
  console.log(`node ${process.version}, ${process.platform}/${process.arch}\n`);
  if (Number(process.versions.node.split(".")[0]) !== NODE_MAJOR)
    console.log(
      `NOTE: the project runs on Node ${NODE_MAJOR} (scripts/env.sh puts it on PATH: \`source scripts/env.sh\` first); these figures are Node ${process.version}'s\n`,
    );
  // "All formats" is the ordinary files together; the very large files keep their own line.
  const ordinary = dirs.filter((d) => d.format.filesPerSecondTarget !== undefined);
  const total = ordinary.reduce((n, d) => n + d.format.count, 0);
  const skipInProcess = process.argv.includes("--skip-in-process");
  ensureBuilt();

  if (!skipInProcess) {
    console.log(
      "in-process, one thread, the built engine of dist/ (the floor: read+parse only, then the full audit):",
    );
    // The floor and the audit take turns, `rounds` times each, and each prints its median run
    // by CPU: run once, whichever ran first paid for the parser's cold start alone (the floor
    // of 11 bundles once came out slower than their audit).
    const rounds = countFlag("--rounds", 5);
    const both = (label: string, paths: string[], target: number | undefined) => {
      const floors: Measure[] = [];
      const fulls: Measure[] = [];
      for (let r = 0; r < rounds; r++) {
        // A full collection before each run: no run pays for the garbage the one before it left.
        collectGarbage();
        floors.push(readAndParse(`${label} floor`, paths, target));
        collectGarbage();
        fulls.push(inProcess(`${label} audit`, paths, target, (floors[0] as Measure).bytes));
      }
      const floor = medianByCpu(floors);
      const full = medianByCpu(fulls);
      print(floor);
      print(full);
      console.log(
        `${" ".repeat(36)}full audit / floor: ×${(full.cpuMs / floor.cpuMs).toFixed(2)} CPU, ×${(full.wallMs / floor.wallMs).toFixed(2)} wall (target ≤ ×1.5), medians of ${rounds} runs each, taking turns`,
      );
    };
    for (const { format, dir } of dirs) both(`  ${format.name}`, [dir], format.filesPerSecondTarget);
    if (ordinary.length > 1)
      both(
        "  all formats",
        ordinary.map((d) => d.dir),
        TARGET_FILES_PER_SECOND,
      );
  }
  const cores = availableParallelism();
  if (!process.argv.includes("--skip-cli")) {
    const pin = hasTaskset();
    console.log(
      `\nCLI process (shipshape audit --format json), --jobs 1 and --jobs ${cores} (${cores} cores):`,
    );
    const compare = (label: string, paths: string[], files: number, target: number | undefined) => {
      const one = throughCli(`${label} --jobs 1`, paths, files, pin, 1, target);
      print(one);
      if (cores < 2) return;
      const many = throughCli(`${label} --jobs ${cores}`, paths, files, false, cores, target);
      print(many);
      console.log(
        `${" ".repeat(36)}--jobs ${cores} / --jobs 1: ×${(one.wallMs / many.wallMs).toFixed(2)} throughput by wall (target ≥ ×1.7 on 2 cores), ×${(many.cpuMs / one.cpuMs).toFixed(2)} CPU, peak ${many.maxRssMiB.toFixed(0)} vs ${one.maxRssMiB.toFixed(0)} MiB`,
      );
    };
    for (const { format, dir } of dirs)
      compare(`  ${format.name}`, [dir], format.count, format.filesPerSecondTarget);
    if (ordinary.length > 1)
      compare(
        "  all formats",
        ordinary.map((d) => d.dir),
        total,
        TARGET_FILES_PER_SECOND,
      );
  }
  if (process.argv.includes("--scale")) {
    const first = ensureCorpus(CORPUS, kubernetesCorpus);
    const second = ensureCorpus(join(CORPUS, "copy"), kubernetesCorpus);
    console.log(
      "\npeak memory as the corpus grows (the CLI, Kubernetes manifests; target ≤ 300 MiB at 20,000):",
    );
    for (const jobs of cores > 1 ? [1, cores] : [1]) {
      const small = throughCli(
        `  10,000 files --jobs ${jobs}`,
        [first],
        kubernetesCorpus.count,
        false,
        jobs,
        TARGET_FILES_PER_SECOND,
      );
      print(small);
      const large = throughCli(
        `  20,000 files --jobs ${jobs}`,
        [first, second],
        2 * kubernetesCorpus.count,
        false,
        jobs,
        TARGET_FILES_PER_SECOND,
      );
      print(large);
      console.log(
        `${" ".repeat(36)}20,000 / 10,000 files: peak ×${(large.maxRssMiB / small.maxRssMiB).toFixed(2)}, CPU ×${(large.cpuMs / small.cpuMs).toFixed(2)}`,
      );
    }
  }
  if (process.argv.includes("--peers")) {
    console.log("\npeers on the same files (each when installed; files/s by CPU, peak memory):");
    runPeers(dirs, CLI);
  }
}

main();
