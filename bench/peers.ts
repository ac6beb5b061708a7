/**
 * `npm run bench -- --peers [--peers-sample N]`: shipshape and its peers on the same files, in
 * one run, each as a whole process timed by GNU time (CPU seconds, wall seconds, peak memory):
 * - kube-score (Kubernetes manifests), built by scripts/bench-peers.sh into $SHIPSHAPE_CACHE/go/bin;
 * - trivy config (every format), $SHIPSHAPE_CACHE/tools/bin/trivy (the scanning setup builds it);
 * - checkov (Kubernetes and Dockerfiles), installed by scripts/bench-peers.sh into a venv.
 * A peer that is not installed is named and left out; peers are never needed by the tests.
 * `--peers-sample N` runs everyone on the first N files of each format (checkov takes about
 * 10 ms per file per core, minutes on the whole corpus). Every figure is a whole process, start-up
 * included: on a small sample, Node's start and loading the engine (about a second of CPU)
 * weigh on shipshape's figure.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { walkPaths } from "../src/sources/walk";
import type { CorpusFormat } from "./corpus/format";

const CACHE =
  process.env.SHIPSHAPE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "shipshape");
const TIME = "/usr/bin/time";

interface Tool {
  name: string;
  /** The executable, when installed. */
  path: string | undefined;
  /** Formats it reads. */
  formats: readonly string[];
  /** Its command line on a directory (and the files in it). */
  args(dir: string, files: readonly string[]): string[];
  env?: NodeJS.ProcessEnv;
}

function firstExisting(...paths: string[]): string | undefined {
  return paths.find((p) => existsSync(p));
}

function tools(cli: string, scratch: string): Tool[] {
  return [
    {
      name: "shipshape --jobs 1",
      path: process.execPath,
      formats: ["kubernetes", "compose", "dockerfile"],
      args: (dir) => [cli, "audit", "--jobs", "1", "--format", "json", "--output", "/dev/null", dir],
    },
    {
      name: "kube-score",
      path: firstExisting(join(CACHE, "go", "bin", "kube-score")),
      formats: ["kubernetes"],
      args: (_dir, files) => ["score", "--output-format", "ci", ...files],
    },
    {
      name: "trivy config",
      path: firstExisting(join(CACHE, "tools", "bin", "trivy"), "/tmp/trivybin/trivy"),
      formats: ["kubernetes", "compose", "dockerfile"],
      args: (dir) => [
        "config",
        "--quiet",
        "--skip-check-update",
        "--cache-dir",
        join(scratch, "trivy-cache"),
        "--format",
        "json",
        "--output",
        "/dev/null",
        dir,
      ],
    },
    {
      name: "checkov",
      path: firstExisting(join(CACHE, "checkov", "bin", "checkov")),
      formats: ["kubernetes", "dockerfile"],
      args: (dir) => [
        "--directory",
        dir,
        "--framework",
        "kubernetes",
        "dockerfile",
        "--quiet",
        "--compact",
        "--skip-download",
        "--output",
        "json",
      ],
      env: { ...process.env, BC_SKIP_MAPPING: "TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: "false" },
    },
  ];
}

interface Timed {
  cpuS: number;
  wallS: number;
  peakMiB: number;
  status: number | null;
}

/** Runs one command under GNU time; its output is thrown away. */
function timed(command: string, args: string[], env?: NodeJS.ProcessEnv): Timed {
  const out = join(mkdtempSync(join(tmpdir(), "shipshape-peer-")), "time");
  const result = spawnSync(TIME, ["-o", out, "-f", "%e %U %S %M", command, ...args], {
    stdio: ["ignore", "ignore", "ignore"],
    env: env ?? process.env,
    timeout: 3_600_000,
  });
  const fields = readFileSync(out, "utf8").trim().split("\n").pop()?.split(" ").map(Number) ?? [];
  rmSync(dirname(out), { recursive: true, force: true });
  const [wall = Number.NaN, user = Number.NaN, sys = Number.NaN, peakKiB = Number.NaN] = fields;
  return { wallS: wall, cpuS: user + sys, peakMiB: peakKiB / 1024, status: result.status };
}

/** The first `sample` files of `dir` (walk order) copied under `into`, or `dir` itself. */
function sampleOf(dir: string, into: string, sample: number | undefined): { dir: string; files: string[] } {
  const files = walkPaths([dir])
    .files.map((w) => w.file)
    .filter((f) => !f.endsWith(".stamp"));
  if (sample === undefined || sample >= files.length) return { dir, files };
  const picked = files.slice(0, sample);
  for (const f of picked) {
    const to = join(into, relative(dir, f));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(f, to);
  }
  return { dir: into, files: picked.map((f) => join(into, relative(dir, f))) };
}

export function runPeers(dirs: readonly { format: CorpusFormat; dir: string }[], cli: string): void {
  if (!existsSync(TIME)) {
    console.log(`  ${TIME} (GNU time, Debian's \`time\`) is missing: no peer is timed`);
    return;
  }
  const i = process.argv.indexOf("--peers-sample");
  const sample = i >= 0 ? Number(process.argv[i + 1]) : undefined;
  const scratch = mkdtempSync(join(tmpdir(), "shipshape-peers-"));
  try {
    const all = tools(cli, scratch);
    for (const t of all) if (!t.path) console.log(`  ${t.name}: not installed (scripts/bench-peers.sh)`);
    for (const { format, dir } of dirs) {
      const files = sampleOf(dir, join(scratch, format.name), sample);
      console.log(`  ${format.name}: ${files.files.length} files`);
      let ours: Timed | undefined;
      for (const t of all) {
        if (!t.path || !t.formats.includes(format.family)) continue;
        const r = timed(t.path, t.args(files.dir, files.files), t.env);
        ours ??= r;
        const perSecond = files.files.length / r.cpuS;
        const ratio = r.cpuS / ours.cpuS;
        const vs =
          r === ours
            ? ""
            : ratio >= 1
              ? `  shipshape ×${ratio.toFixed(1)} faster by CPU`
              : `  shipshape ×${(1 / ratio).toFixed(1)} slower by CPU`;
        console.log(
          `    ${t.name.padEnd(20)} ${perSecond.toFixed(0).padStart(7)} files/s cpu  ${r.cpuS.toFixed(1).padStart(7)} s cpu  ${r.wallS.toFixed(1).padStart(7)} s wall  peak ${r.peakMiB.toFixed(0).padStart(5)} MiB  exit ${r.status}${vs}`,
        );
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
