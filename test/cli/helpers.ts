import { execFile, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { runCli } from "../../src/cli/program";
import { defineRule, PlatformScope, type Rule } from "../../src/rules/rule";

const run = promisify(execFile);

export const ROOT = resolve(__dirname, "..", "..");
export const FIXTURES = join(ROOT, "test", "fixtures", "cli");
export const BUILT_CLI = join(ROOT, "dist", "src", "cli", "main.js");

/** A fresh directory with copies of the named fixtures (all of them by default). */
export function fixtureDir(names?: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-cli-"));
  for (const name of names ?? readdirSync(FIXTURES)) cpSync(join(FIXTURES, name), join(dir, name));
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process. */
export function cliInProcess(argv: string[]): CliResult {
  let stdout = "";
  let stderr = "";
  const code = runCli(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(".ts")) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/**
 * Builds dist/ with the project's tsc unless dist/src/cli/main.js is newer than every source.
 * tsc emits even when other parts of the tree have type errors, so its exit code is not
 * what decides: the entry point must exist and be fresh afterwards.
 */
export async function ensureBuilt(): Promise<void> {
  const fresh = () => {
    try {
      return statSync(BUILT_CLI).mtimeMs >= newestMtime(join(ROOT, "src"));
    } catch {
      return false;
    }
  };
  if (fresh()) return;
  await run(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"],
    {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    },
  ).catch(() => undefined);
  if (!fresh())
    throw new Error(
      `building the CLI with \`npx tsc -p tsconfig.json\` did not produce a fresh ${BUILT_CLI}`,
    );
}

/** Runs the built CLI as a real process (argument array, no shell). */
export async function cliProcess(args: string[], cwd: string): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BUILT_CLI, ...args], {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof err.code !== "number") throw e;
    return { code: err.code, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

export interface SpawnOptions {
  cwd: string;
  /** Written to the process's standard input, which is then closed. */
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  /** Killed with SIGKILL when still running after this long; the result says so. @default none */
  timeoutMs?: number;
}

export interface ProcessResult extends CliResult {
  /** True when the process was killed for running past `timeoutMs`. */
  timedOut: boolean;
}

/**
 * Runs any command (argument array, no shell) with its standard input a pipe, and resolves
 * with its exit code (128 + signal number when it was killed) and output.
 */
export function runProcess(command: string, args: string[], options: SpawnOptions): Promise<ProcessResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, options.timeoutMs);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const signalNumber = signal ? (require("node:os").constants.signals[signal] as number) : 0;
      resolvePromise({ code: code ?? 128 + signalNumber, stdout, stderr, timedOut });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

/** Runs the built CLI as a real process with `input` on its standard input (a pipe). */
export function cliWithInput(args: string[], cwd: string, input: string | Buffer): Promise<CliResult> {
  return runProcess(process.execPath, [BUILT_CLI, ...args], { cwd, input });
}

/** A fixable rule for tests that must not depend on which rules the catalog has today. */
export const testPrivilegedRule: Rule = defineRule({
  id: "test-privileged",
  title: "Test: containers must not be privileged",
  severity: "high",
  rationale: "Test rule.",
  remediation: "Set privileged to false.",
  references: { pss: ["privileged"] },
  pssLevel: "baseline",
  targets: ["workload"],
  platforms: PlatformScope.Both,
  fixable: true,
  check(workload) {
    return workload.containers.flatMap((c, i) =>
      c.securityContext.privileged
        ? [
            {
              path: `containers.${i}.securityContext.privileged`,
              message: `container "${c.name}" is privileged`,
              fix: [{ op: "set" as const, path: `containers.${i}.securityContext.privileged`, value: false }],
            },
          ]
        : [],
    );
  },
});

/** A rule without a fix that reports every workload at low severity. */
export const testEveryWorkloadRule: Rule = defineRule({
  id: "test-every-workload",
  title: "Test: every workload",
  severity: "low",
  rationale: "Test rule.",
  remediation: "None.",
  references: {},
  targets: ["workload"],
  platforms: PlatformScope.Both,
  check() {
    return [{ path: "name", message: "a workload" }];
  },
});

/** The built CLI run with a probe that lists every module the process loaded, as it exits. */
export async function builtCliModules(
  probeDir: string,
  args: string[],
): Promise<ProcessResult & { modules: string[] }> {
  const probe = join(probeDir, "modules-probe.cjs");
  writeFileSync(
    probe,
    [
      'process.on("exit", () =>',
      '  process.stderr.write("MODULES " + JSON.stringify(Object.keys(require.cache)) + "\\n"));',
      "",
    ].join("\n"),
  );
  const r = await runProcess(process.execPath, ["--require", probe, BUILT_CLI, ...args], { cwd: ROOT });
  const line = /MODULES (\[.*\])/.exec(r.stderr);
  if (!line?.[1]) throw new Error(`no module list from the CLI: ${r.stderr.slice(0, 2000)}`);
  return { ...r, modules: (JSON.parse(line[1]) as string[]).filter((m) => m !== probe) };
}
