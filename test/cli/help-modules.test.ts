import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtCliModules, cliInProcess, ensureBuilt, ROOT } from "./helpers";

/** Modules of the engine that printing help has no use for. */
const ENGINE = [
  "src/engine/audit",
  "src/engine/file-audit",
  "src/rules/catalog",
  "src/adapters/",
  "src/sources/",
  "src/audit/",
  "src/report/reporters",
  "src/live/",
  "src/policy/",
  "src/cli/commands/audit-run",
  "src/watch/watcher",
  "src/cli/commands/watch-run",
  "src/cli/commands/analyze-run",
  "src/cli/commands/dashboard-run",
  "src/dashboard/collector",
];

/**
 * At most this many modules (the CLI's own and commander's): it was 1,175 with the whole engine.
 * Each command's registration file counts (alerts, profile and the encrypted-volume commands made
 * it 43, analyze and dashboard 45, main's compile-cache switch 46); what they run loads only when
 * they run.
 */
const HELP_MODULES = 46;

describe("shipshape --help loads only what help needs", () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "shipshape-help-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const modulesOf = (args: string[]) => builtCliModules(dir, args);

  for (const args of [
    ["--help"],
    ["audit", "--help"],
    ["rules", "--help"],
    ["watch", "--help"],
    ["--version"],
    ["audit", "--jobs", "0", "x"],
  ]) {
    it(`\`shipshape ${args.join(" ")}\` loads none of the engine`, async () => {
      const { code, modules } = await modulesOf(args);
      expect(code).toBe(args.includes("--jobs") ? 2 : 0);
      const ours = modules.map((m) => relative(join(ROOT, "dist"), m));
      for (const part of ENGINE)
        expect(
          ours.filter((m) => m.startsWith(part)),
          part,
        ).toEqual([]);
      expect(modules.length).toBeLessThanOrEqual(HELP_MODULES);
    });
  }

  it("prints the same help as the in-process command tree, and runs a command's module when asked", async () => {
    for (const args of [["--help"], ["audit", "--help"], ["check", "--help"], ["init", "--help"]]) {
      const help = await modulesOf(args);
      expect(help.stdout).toBe(cliInProcess(args).stdout);
      expect(help.stdout.length).toBeGreaterThan(200);
    }
    const audit = await modulesOf([
      "audit",
      "--rule",
      "privileged-container",
      join(ROOT, "test", "fixtures", "cli"),
    ]);
    expect(audit.code).toBe(2);
    expect(audit.modules.some((m) => m.endsWith(join("src", "cli", "commands", "audit-run.js")))).toBe(true);
    expect(audit.modules.length).toBeGreaterThan(HELP_MODULES * 5);
  });
});
