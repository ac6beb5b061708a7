import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliProcess, ensureBuilt, fixtureDir, ROOT, removeDir } from "./helpers";

/** A Pulumi program in `dir/name` that can import the project's SDKs. */
function program(dir: string, name: string, source: string): string {
  const at = join(dir, name);
  mkdirSync(at);
  writeFileSync(join(at, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  writeFileSync(join(at, "index.ts"), source);
  symlinkSync(join(ROOT, "node_modules"), join(at, "node_modules"));
  return at;
}

const PRIVILEGED = `import * as docker from "@pulumi/docker";
new docker.Container("agent", { image: "registry.example.com/ops/agent:2.3", privileged: true });
`;

/** Defects 7 (programs that hang) and 8 (programs that print) for `check` and `render`. */
describe("check and render on programs that print or hang", () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fixtureDir([]);
  });
  afterAll(() => removeDir(dir));

  it("check keeps the report intact when the program prints, and shows what it printed", async () => {
    const at = program(
      dir,
      "chatty",
      `console.log("hello from the program {");\nprocess.stdout.write("no newline");\n${PRIVILEGED}`,
    );
    const r = await cliProcess(["check", at, "--format", "json"], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; file: string }[] };
    expect(
      report.findings.some((f) => f.ruleId === "privileged-container" && f.file.endsWith("::agent")),
    ).toBe(true);
    expect(r.stderr).toContain("hello from the program {");
    expect(r.stderr).toContain("no newline");
    expect(r.stderr).not.toContain("internal error");
  }, 120_000);

  it("check stops a program that loops forever after --timeout, naming it and the option", async () => {
    const at = program(dir, "busy", `${PRIVILEGED}for (;;) {}\n`);
    const started = Date.now();
    const r = await cliProcess(["check", at, "--timeout", "5"], dir);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `error: ${at}: the program did not finish within 5 s (it may wait forever or loop); fix it, or raise --timeout`,
    );
  }, 120_000);

  it("check stops a program that waits forever", async () => {
    const at = program(
      dir,
      "waiting",
      `${PRIVILEGED}export = () => new Promise<void>(() => setInterval(() => undefined, 1000));\n`,
    );
    const r = await cliProcess(["check", at, "--timeout", "5"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the program did not finish within 5 s");
  }, 120_000);

  it("render stops a program that loops forever", async () => {
    const at = program(dir, "busy-render", "for (;;) {}\n");
    const r = await cliProcess(
      ["render", at, "--to", "compose", "--out", join(dir, "out"), "--timeout", "5"],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: ${at}: the program did not finish within 5 s`);
  }, 120_000);

  it("refuses a --timeout that is not a positive number", async () => {
    const r = await cliProcess(["check", dir, "--timeout", "soon"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"soon" is not a number of seconds');
  });
});
