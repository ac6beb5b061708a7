import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliProcess, ensureBuilt, fixtureDir, removeDir } from "./helpers";

const FORGED_SUMMARY = "0 findings, 0 errors, 1 file audited";
const CLEAR_SCREEN = "\u001b[2J\u001b[H";

/** A privileged pod whose name carries an escape sequence and a forged line. */
const POD = (name: string) =>
  [
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    `  name: ${JSON.stringify(name)}`,
    "spec:",
    "  containers:",
    "    - name: c",
    "      image: nginx:1.25",
    "      securityContext:",
    "        privileged: true",
    "",
  ].join("\n");

/** Defect 9: untrusted names cannot forge or hide output. */
describe("untrusted names in reports", () => {
  let dir: string;
  const fileName = `evil\n${FORGED_SUMMARY}\n${CLEAR_SCREEN}.yaml`;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fixtureDir([]);
    writeFileSync(join(dir, fileName), POD(`web${CLEAR_SCREEN}\u202eevil`));
    writeFileSync(
      join(dir, "html.yaml"),
      POD("x<img src=x onerror=alert(1)><script>alert(2)</script>[click](http://evil.example)@everyone"),
    );
  });
  afterAll(() => removeDir(dir));

  it("text: no raw escape, newline or bidi character, and no forged summary line", async () => {
    const r = await cliProcess(["audit", "--rule", "privileged-container", fileName], dir);
    expect(r.code).toBe(1);
    for (const raw of ["\u001b", "\u202e"]) expect(r.stdout).not.toContain(raw);
    const lines = r.stdout.trimEnd().split("\n");
    // One finding line, a blank line, the real summary: the name's newlines did not split a line.
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      'evil\\n0 findings, 0 errors, 1 file audited\\n\\x1b[2J\\x1b[H.yaml:10:9: critical: container "c" runs privileged; set securityContext.privileged to false [privileged-container] (Pod web\\x1b[2J\\x1b[H\\u202eevil)',
    );
    expect(lines[2]).toBe("1 finding (1 critical), 0 errors, 1 file audited");
    expect(lines.filter((l) => l === FORGED_SUMMARY)).toEqual([]);
  });

  it("stderr: escape sequences in a name quoted by an error are escaped too", async () => {
    const r = await cliProcess(
      ["audit", "-o", join(dir, `no-such-dir${CLEAR_SCREEN}`, "out.txt"), "html.yaml"],
      dir,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no-such-dir\\x1b[2J\\x1b[H");
    expect(r.stderr).not.toContain("\u001b");
  });

  it("markdown: HTML, links and mentions are shown literally, not rendered", async () => {
    const r = await cliProcess(
      ["audit", "--rule", "privileged-container", "-f", "markdown", "html.yaml", fileName],
      dir,
    );
    expect(r.stdout).not.toMatch(/<img|<script|(?<!\\)\]\(http/);
    for (const raw of ["\u001b", "\u202e"]) expect(r.stdout).not.toContain(raw);
    expect(r.stdout).toContain(
      "Pod x&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;\\[click\\](http://evil.example)@\u200beveryone",
    );
    // The forged file name stays inside its table cell, on the row of its finding (its escapes
    // backslash-escaped once more, so Markdown shows them as written).
    const rows = r.stdout.split("\n").filter((l) => l.startsWith("| critical |"));
    expect(rows).toHaveLength(2);
    expect(
      rows.some((row) => row.includes("| evil\\\\n0 findings, 0 errors, 1 file audited\\\\n\\\\x1b\\[2J")),
    ).toBe(true);
  });

  it("junit: a name's newlines are escaped in attributes and in the failure text", async () => {
    const r = await cliProcess(["audit", "--rule", "privileged-container", "-f", "junit", fileName], dir);
    expect(r.stdout).toContain(
      '<testsuite name="evil\\n0 findings, 0 errors, 1 file audited\\n\\x1b[2J\\x1b[H.yaml"',
    );
    expect(r.stdout).not.toContain(`\n${FORGED_SUMMARY}`);
  });
});
