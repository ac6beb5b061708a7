import { execFileSync, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BUILT_CLI,
  cliProcess,
  cliWithInput,
  ensureBuilt,
  FIXTURES,
  fixtureDir,
  removeDir,
  runProcess,
} from "./helpers";

/** Only the privileged rule, so each case reads as one finding or none. */
const ONLY_PRIVILEGED = ["--rule", "privileged-container"];
const PRIVILEGED = readFileSync(join(FIXTURES, "privileged.yaml"), "utf8");

function mkfifo(path: string): void {
  execFileSync("mkfifo", [path]);
}

/** Defect 1 (false clean on piped input) and the FIFO half of defect 7 (hangs). */
describe("audit of pipes, FIFOs and standard input", () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fixtureDir([]);
  });
  afterAll(() => removeDir(dir));

  it("reads /dev/stdin to its end: a privileged pod piped in is a finding, not a clean run", async () => {
    const source = join(dir, "piped.yaml");
    writeFileSync(source, PRIVILEGED);
    // A real pipe from a shell, as in `cat priv.yaml | shipshape audit /dev/stdin`.
    const r = await runProcess(
      "bash",
      [
        "-c",
        'cat "$2" | "$0" "$1" audit --rule privileged-container /dev/stdin',
        process.execPath,
        BUILT_CLI,
        source,
      ],
      { cwd: dir },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("/dev/stdin:12:9: critical:");
    expect(r.stdout).toContain("1 finding (1 critical), 0 errors, 1 file audited");
  });

  it("reads `-` and /dev/stdin as standard input when it is a socket, as process runners give", async () => {
    const viaDevice = await cliWithInput(["audit", ...ONLY_PRIVILEGED, "/dev/stdin"], dir, PRIVILEGED);
    expect(viaDevice.code).toBe(1);
    expect(viaDevice.stdout).toContain("/dev/stdin:12:9: critical:");
    const r = await cliWithInput(["audit", ...ONLY_PRIVILEGED, "-f", "json", "-"], dir, PRIVILEGED);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { file: string; line: number }) => [f.file, f.line])).toEqual([["-", 12]]);
  });

  it("reads a process substitution <(…) to its end", async () => {
    const source = join(dir, "pod.yaml");
    writeFileSync(source, PRIVILEGED);
    // bash creates the /dev/fd/N pipe; the CLI gets its name as an argument.
    const r = await runProcess(
      "bash",
      [
        "-c",
        'exec "$0" "$1" audit --rule privileged-container <(cat "$2")',
        process.execPath,
        BUILT_CLI,
        source,
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^\/dev\/fd\/\d+:12:9: critical:/m);
  });

  it("reads a FIFO whose writer comes late, to its end", async () => {
    const fifo = join(dir, "late.yaml");
    mkfifo(fifo);
    const audit = cliProcess(["audit", ...ONLY_PRIVILEGED, fifo], dir);
    // The writer opens the FIFO after the CLI has and writes in two parts, a moment apart.
    await new Promise((r) => setTimeout(r, 500));
    const writer = spawn("sh", ["-c", 'printf %s "$1" > "$0"; sleep 0.3', fifo, PRIVILEGED]);
    const r = await audit;
    writer.kill();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("1 finding (1 critical)");
  });

  it("times out on a FIFO with no writer instead of hanging, naming the file and --timeout", async () => {
    const fifo = join(dir, "nobody.yaml");
    mkfifo(fifo);
    const started = Date.now();
    const r = await cliProcess(["audit", ...ONLY_PRIVILEGED, "--timeout", "1", fifo], dir);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${fifo}:1:1: error: no data arrived within 1 s`);
    expect(r.stdout).toContain("--timeout");
  });

  it("reports a pipe whose writer never closes as an input error, not a partial audit", async () => {
    const fifo = join(dir, "open.yaml");
    mkfifo(fifo);
    const audit = cliProcess(["audit", ...ONLY_PRIVILEGED, "--timeout", "1", fifo], dir);
    await new Promise((r) => setTimeout(r, 200));
    // Opened read-write, the FIFO always has this writer, which sends half a file and stays.
    const fd = openSync(fifo, "r+");
    writeSync(fd, PRIVILEGED.slice(0, 40));
    const r = await audit;
    closeSync(fd);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("error: only 40 bytes arrived and the FIFO was not closed within 1 s");
  });

  it("refuses devices by name, with no hang and no memory blow-up", async () => {
    const r = await cliProcess(["audit", "/dev/zero"], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("/dev/zero:1:1: error: is a device, not a file");
  });

  it("refuses more than the size limit arriving through a pipe", async () => {
    const big = `# ${"x".repeat(11 * 1024 * 1024)}\n${PRIVILEGED}`;
    const r = await cliWithInput(["audit", "-"], dir, big);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("-:1:1: error: file is over 10.0 MiB; shipshape reads files up to 10 MiB");
  });
});

/** Defect 6: a file reached through `extends.file` passes every guard. */
describe("files reached through Compose extends.file", () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fixtureDir([]);
  });
  afterAll(() => removeDir(dir));

  const compose = (file: string) =>
    `services:\n  web:\n    image: nginx:1.25\n    extends:\n      file: ${file}\n      service: base\n`;

  it("refuses a device as extends.file, naming the extending file and line", async () => {
    writeFileSync(join(dir, "compose.yaml"), compose("/dev/zero"));
    const r = await cliProcess(["audit", "compose.yaml"], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      'compose.yaml:4:5: error: extends.file "/dev/zero" cannot be read: is a device, not a file',
    );
  });

  it("times out on a FIFO as extends.file", async () => {
    mkfifo(join(dir, "base.yaml"));
    writeFileSync(join(dir, "fifo-compose.yaml"), compose("base.yaml"));
    const r = await cliProcess(["audit", "--timeout", "1", "fifo-compose.yaml"], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      'fifo-compose.yaml:4:5: error: extends.file "base.yaml" cannot be read: no data arrived within 1 s',
    );
  });

  it("refuses a binary extends.file by its NUL byte", async () => {
    writeFileSync(join(dir, "binary.yaml"), "services:\n  base:\n    image: a\n\0\n");
    writeFileSync(join(dir, "bin-compose.yaml"), compose("binary.yaml"));
    const r = await cliProcess(["audit", "bin-compose.yaml"], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("binary file (NUL byte on line 4)");
  });
});

/** Defect 13, second half: a NUL byte anywhere, not only in the first 8 KiB. */
describe("NUL bytes", () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fixtureDir([]);
  });
  afterAll(() => removeDir(dir));

  it("refuses a NUL byte after the first 8 KiB, naming its line", async () => {
    const padding = `${"# padding\n".repeat(1000)}`;
    writeFileSync(join(dir, "late-nul.yaml"), `${PRIVILEGED}${padding}# \0\n`);
    const r = await cliProcess(["audit", "late-nul.yaml"], dir);
    expect(r.code).toBe(2);
    const line = PRIVILEGED.split("\n").length - 1 + 1000 + 1;
    expect(r.stdout).toContain(`late-nul.yaml:${line}:1: error: binary file (NUL byte on line ${line})`);
  });
});
