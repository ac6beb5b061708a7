/**
 * The worst cases of the hostile-input tests, measured: `npm run bench:worst`.
 *
 * Each case is generated into a temporary directory and audited by the built CLI
 * (dist/src/cli/main.js, built first if stale) at half and at full size; it prints the wall time,
 * CPU time and peak memory (maxRSS) of each run and the ratio full/half, which stays near 2 when
 * the work is linear (near 4 would mean quadratic). Cases:
 * - one pod with 5,000 containers (every rule: about 70,000 findings in one object);
 * - a Compose `extends` chain 1,000 deep (the depth limit);
 * - a report of 1M findings (60,000 privileged pods, just under the 10 MiB file limit), as JSON
 *   and as SARIF written to a file.
 *
 * Options: --cases pod,extends,report-json,report-sarif (default: all).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { extendsChain, manyPrivilegedPods, podWithContainers } from "./corpus/hostile";

const ROOT = resolve(__dirname, "..");
const CLI = join(ROOT, "dist", "src", "cli", "main.js");

interface WorstCase {
  name: string;
  /** Sizes to run, half and full. */
  sizes: [number, number];
  unit: string;
  file: string;
  generate(size: number): string;
  args(file: string, out: string): string[];
}

const CASES: WorstCase[] = [
  {
    name: "pod",
    sizes: [2500, 5000],
    unit: "containers in one pod",
    file: "crowded.yaml",
    generate: podWithContainers,
    args: (file, out) => ["audit", "-f", "json", "-o", out, file],
  },
  {
    name: "extends",
    sizes: [500, 1000],
    unit: "services in one extends chain",
    file: "compose.yaml",
    generate: extendsChain,
    args: (file, out) => ["audit", "-f", "json", "-o", out, file],
  },
  {
    name: "report-json",
    sizes: [30_000, 60_000],
    unit: "pods (18 findings each), JSON report",
    file: "pods.yaml",
    generate: manyPrivilegedPods,
    args: (file, out) => ["audit", "-f", "json", "-o", out, file],
  },
  {
    name: "report-sarif",
    sizes: [30_000, 60_000],
    unit: "pods (18 findings each), SARIF report",
    file: "pods.yaml",
    generate: manyPrivilegedPods,
    args: (file, out) => ["audit", "-f", "sarif", "-o", out, file],
  },
];

interface Measure {
  wallMs: number;
  cpuMs: number;
  maxRssMiB: number;
  findings: number;
  reportMiB: number;
}

function ensureBuilt(): void {
  if (existsSync(CLI)) return;
  console.log("building dist/ (tsc -p tsconfig.json)…");
  execFileSync(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
    {
      cwd: ROOT,
      stdio: "inherit",
    },
  );
}

function run(c: WorstCase, size: number, dir: string): Measure {
  const file = join(dir, c.file);
  writeFileSync(file, c.generate(size));
  const out = join(dir, "report.out");
  const t0 = performance.now();
  const result = spawnSync(
    process.execPath,
    ["--require", join(__dirname, "rss-probe.cjs"), CLI, ...c.args(file, out)],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const wallMs = performance.now() - t0;
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`${c.name} at ${size}: the CLI exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
  }
  const probe = /SHIPSHAPE_BENCH (\{.*\})/.exec(result.stderr);
  if (!probe?.[1]) throw new Error(`no measurement from the CLI process: ${result.stderr.slice(0, 2000)}`);
  const { maxRssKiB, cpuMicros } = JSON.parse(probe[1]) as { maxRssKiB: number; cpuMicros: number };
  const reportBytes = statSync(out).size;
  const tail = execFileSync("tail", ["-c", "4096", out], { encoding: "utf8" });
  const findings = Number(/"findings":\s*(\d+)/.exec(tail)?.[1] ?? Number.NaN);
  rmSync(out);
  return {
    wallMs,
    cpuMs: cpuMicros / 1000,
    maxRssMiB: maxRssKiB / 1024,
    findings,
    reportMiB: reportBytes / 1024 / 1024,
  };
}

function main(): void {
  const wanted = process.argv.includes("--cases")
    ? process.argv[process.argv.indexOf("--cases") + 1]?.split(",")
    : undefined;
  const cases = CASES.filter((c) => !wanted || wanted.includes(c.name));
  if (cases.length === 0) throw new Error(`--cases: valid values are ${CASES.map((c) => c.name).join(", ")}`);
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), "shipshape-worst-"));
  try {
    for (const c of cases) {
      const [half, full] = c.sizes.map((size) => ({ size, m: run(c, size, dir) })) as [
        { size: number; m: Measure },
        { size: number; m: Measure },
      ];
      for (const { size, m } of [half, full]) {
        console.log(
          `${c.name.padEnd(13)} ${String(size).padStart(6)} ${c.unit.padEnd(38)} ${(m.wallMs / 1000).toFixed(2).padStart(7)} s wall ${(m.cpuMs / 1000).toFixed(2).padStart(7)} s cpu  peak ${m.maxRssMiB.toFixed(0).padStart(5)} MiB  ${String(m.findings).padStart(8)} findings  report ${m.reportMiB.toFixed(1)} MiB`,
        );
      }
      console.log(
        `${" ".repeat(14)}full/half: cpu ×${(full.m.cpuMs / half.m.cpuMs).toFixed(2)}, peak memory ×${(full.m.maxRssMiB / half.m.maxRssMiB).toFixed(2)} (×2 is linear, ×4 quadratic)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
