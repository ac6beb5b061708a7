import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { podWithContainers } from "../../bench/corpus/hostile";
import { BUILT_CLI, ensureBuilt, fixtureDir, removeDir, runProcess } from "./helpers";

/** Defect 14: output into a pipe whose reader has gone. */
describe("a closed standard output", () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fixtureDir([]);
    writeFileSync(join(dir, "crowded.yaml"), podWithContainers(2000));
  });
  afterAll(() => removeDir(dir));

  /** `shipshape <args> | head -<lines>` in bash, with the CLI's exit status and stderr kept. */
  const intoHead = (args: string[], lines: number) =>
    runProcess(
      "bash",
      [
        "-c",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's own ${…}, not a template
        'n="$1"; shift; node "$0" "$@" 2>stderr.txt | head -"$n"; echo "exit ${PIPESTATUS[0]}"; cat stderr.txt',
        BUILT_CLI,
        String(lines),
        ...args,
      ],
      { cwd: dir, env: { ...process.env, PATH: `${join(process.execPath, "..")}:${process.env.PATH}` } },
    );

  it("`shipshape audit --help | head -3` prints three lines and exits quietly", async () => {
    const r = await intoHead(["audit", "--help"], 3);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^Usage: shipshape audit/);
    expect(lines[3]).toMatch(/^exit (0|141)$/);
    expect(r.stdout).not.toMatch(/EPIPE|Error|at /);
  });

  it("a report of 28,000 findings piped into `head -1` stops at once, with no stack trace", async () => {
    // JSON is one line, which `head -1` reads whole; text and SARIF are many lines.
    for (const [format, status] of [
      ["text", /^exit 141$/],
      ["json", /^exit (1|141)$/],
      ["sarif", /^exit 141$/],
    ] as const) {
      const r = await intoHead(["audit", "-f", format, "crowded.yaml"], 1);
      const [, exit, ...rest] = r.stdout.split("\n");
      expect(exit, format).toMatch(status);
      expect(rest.join("\n").trim(), format).toBe("");
    }
  });
});
