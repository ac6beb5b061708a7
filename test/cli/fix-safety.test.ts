import { execFileSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyFixes } from "../../src/audit/apply-fixes";
import { auditPaths } from "../../src/audit/audit-paths";
import { ruleById } from "../../src/rules/catalog";
import { BUILT_CLI, cliProcess, ensureBuilt, fixtureDir, removeDir, runProcess } from "./helpers";

const FIX = ["audit", "--fix", "--rule", "privileged-container"];

/** A Compose file of `count` privileged services; each fix adds one byte (true → false). */
function privilegedServices(count: number, pad = ""): string {
  const lines = ["services:"];
  for (let i = 0; i < count; i++)
    lines.push(`  s${i}:${pad}`, "    image: nginx:1.25", "    privileged: true");
  return `${lines.join("\n")}\n`;
}

const POD = [
  "apiVersion: v1",
  "kind: Pod",
  "metadata:",
  "  name: p",
  "spec:",
  "  containers:",
  "    - name: c",
  "      image: nginx:1.25",
  "      securityContext:",
  "        privileged: true",
  "",
].join("\n");

/** Defects 2, 3 and 4: `--fix` writes safely or not at all. */
describe("--fix safety", () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = fixtureDir([]);
  });
  afterAll(() => removeDir(dir));

  describe("on a full disk", () => {
    let mount: string;
    beforeAll(() => {
      mount = join(dir, "small-disk");
      mkdirSync(mount);
      try {
        execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mount]);
      } catch (e) {
        throw new Error(
          `this test mounts a 64 KiB tmpfs to fill it, which needs root (as scripts/test.sh runs): ${(e as Error).message}`,
        );
      }
    });
    afterAll(() => {
      execFileSync("umount", [mount]);
    });

    it("leaves the file whole, reports it, and names the files fixed before it", async () => {
      writeFileSync(join(dir, "first.yaml"), privilegedServices(1));
      // Just under one 4 KiB page; fixed, it needs a second page, which the full disk does not have.
      const original = privilegedServices(60, " ".repeat(20)).slice(0, 4090);
      const text = `${original.slice(0, original.lastIndexOf("\n    privileged: true") + 21)}`;
      writeFileSync(join(mount, "compose.yaml"), text);
      expect(statSync(join(mount, "compose.yaml")).size).toBeLessThanOrEqual(4096);
      // Fill the disk.
      try {
        writeFileSync(join(mount, "filler"), Buffer.alloc(128 * 1024));
      } catch {
        // ENOSPC: what was written of the filler stays, and the disk is full.
      }
      const r = await cliProcess([...FIX, "first.yaml", join(mount, "compose.yaml")], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain(
        `${join(mount, "compose.yaml")}:1:1: error: cannot write the fixed file: ENOSPC`,
      );
      expect(r.stdout).toContain("file left unchanged; files already fixed before it: first.yaml");
      expect(readFileSync(join(mount, "compose.yaml"), "utf8")).toBe(text);
      expect(readFileSync(join(dir, "first.yaml"), "utf8")).toContain("privileged: false");
      // No temporary file is left behind.
      expect(readdirSync(mount).sort()).toEqual(["compose.yaml", "filler"]);
    });
  });

  it("refuses to fix standard input, whether a pipe or a redirected file", async () => {
    writeFileSync(join(dir, "piped.yaml"), privilegedServices(1));
    for (const script of [
      'cat piped.yaml | "$0" "$1" audit --fix -',
      '"$0" "$1" audit --fix - < piped.yaml',
    ]) {
      const r = await runProcess("bash", ["-c", script, process.execPath, BUILT_CLI], { cwd: dir });
      expect(r.code, script).toBe(2);
      expect(r.stdout, script).toContain(
        "-:1:1: error: not a regular file (a pipe, FIFO or standard input): there is nothing to write fixes back to; file left unchanged",
      );
    }
    expect(readFileSync(join(dir, "piped.yaml"), "utf8")).toBe(privilegedServices(1));
  });

  it("still reports standard input's findings after fixing another file (it is not read twice)", async () => {
    writeFileSync(join(dir, "piped-pod.yaml"), POD);
    writeFileSync(join(dir, "fixable.yaml"), privilegedServices(1));
    const r = await runProcess(
      "bash",
      [
        "-c",
        'cat piped-pod.yaml | "$0" "$1" audit --fix --rule privileged-container - fixable.yaml',
        process.execPath,
        BUILT_CLI,
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('-:10:9: critical: container "c" runs privileged');
    expect(r.stdout).toContain("1 finding (1 critical), 1 error, 2 files audited, 1 fix applied");
    expect(readFileSync(join(dir, "fixable.yaml"), "utf8")).toContain("privileged: false");
  });

  it("keeps the mode and owner of the file it replaces", async () => {
    const file = join(dir, "owned.yaml");
    writeFileSync(file, privilegedServices(2));
    chmodSync(file, 0o640);
    chownSync(file, 1234, 2345);
    const r = await cliProcess([...FIX, "owned.yaml"], dir);
    expect(r.code).toBe(0);
    const after = statSync(file);
    expect([after.mode & 0o777, after.uid, after.gid]).toEqual([0o640, 1234, 2345]);
    expect(readFileSync(file, "utf8")).not.toContain("privileged: true");
  });

  it("refuses to overwrite a file that changed on disk since it was read", () => {
    const file = join(dir, "changing.yaml");
    writeFileSync(file, privilegedServices(1));
    const rule = ruleById("privileged-container");
    if (!rule) throw new Error("the catalog has no privileged-container rule");
    const options = { rules: [rule], forFixing: true };
    const run = auditPaths([file], options);
    expect(run.findings).toHaveLength(1);
    const edited = `# someone else's edit\n${privilegedServices(2)}`;
    writeFileSync(file, edited);
    const outcome = applyFixes(run, options);
    expect(outcome.fixed).toEqual([]);
    expect(outcome.errors).toEqual([
      {
        file,
        message:
          "changed on disk since shipshape read it; run the audit again on the file as it is now; file left unchanged",
        line: 1,
        column: 1,
      },
    ]);
    expect(readFileSync(file, "utf8")).toBe(edited);
  });

  it("refuses a read-only file, with a report and no stack trace", async () => {
    const file = join(dir, "read-only.yaml");
    writeFileSync(file, privilegedServices(1));
    chmodSync(file, 0o444);
    const r = await cliProcess([...FIX, "read-only.yaml"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(
      "read-only.yaml:1:1: error: is read-only (mode 0444); make it writable (chmod u+w) to let --fix change it; file left unchanged",
    );
    expect(r.stdout).toContain("read-only.yaml:4:5: critical:");
    expect(readFileSync(file, "utf8")).toBe(privilegedServices(1));
  });

  it("refuses an immutable file", async () => {
    const file = join(dir, "immutable.yaml");
    writeFileSync(file, privilegedServices(1));
    try {
      execFileSync("chattr", ["+i", file]);
    } catch (e) {
      throw new Error(`this test needs chattr (e2fsprogs) and root: ${(e as Error).message}`);
    }
    try {
      const r = await cliProcess([...FIX, "immutable.yaml"], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain(
        "immutable.yaml:1:1: error: cannot be written (EPERM: it is immutable or append-only, see lsattr); file left unchanged",
      );
      expect(readFileSync(file, "utf8")).toBe(privilegedServices(1));
    } finally {
      execFileSync("chattr", ["-i", file]);
    }
  });

  it("refuses a fix through a YAML alias, naming the alias's line and column", async () => {
    const text = `${POD}    - name: d\n      image: nginx:1.25\n      securityContext: *sc\n`.replace(
      "securityContext:\n        privileged",
      "securityContext: &sc\n        privileged",
    );
    writeFileSync(join(dir, "alias.yaml"), text);
    const r = await cliProcess([...FIX, "alias.yaml"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(
      "alias.yaml:13:24: error: cannot fix: the fix of spec.containers.1.securityContext.privileged goes through the YAML alias *sc",
    );
    expect(readFileSync(join(dir, "alias.yaml"), "utf8")).toBe(text);
  });

  it("refuses a Compose fix through an alias too, and keeps the file", async () => {
    const text =
      'x-base: &base\n  image: nginx:1.25\n  privileged: true\nservices:\n  web: *base\n  api:\n    <<: *base\n    user: "1000"\n';
    writeFileSync(join(dir, "compose-alias.yaml"), text);
    const r = await cliProcess([...FIX, "compose-alias.yaml"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain(
      "compose-alias.yaml:5:8: error: cannot fix: the fix of services.web.privileged goes through the YAML alias *base",
    );
    expect(readFileSync(join(dir, "compose-alias.yaml"), "utf8")).toBe(text);
  });

  it("keeps a .json manifest JSON", async () => {
    const manifest = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "j" },
      spec: { containers: [{ name: "c", image: "nginx:1.25", securityContext: { privileged: true } }] },
    };
    writeFileSync(join(dir, "pod.json"), `${JSON.stringify(manifest, null, 4)}\n`);
    // Every fixable rule: fixes add keys and lists, which YAML would write in its own syntax.
    const r = await cliProcess(["audit", "--fix", "pod.json"], dir);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/[1-9]\d* fixes applied/);
    const text = readFileSync(join(dir, "pod.json"), "utf8");
    const fixed = JSON.parse(text);
    expect(fixed.spec.containers[0].securityContext).toMatchObject({
      privileged: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(fixed.spec.automountServiceAccountToken).toBe(false);
    expect(text).toContain('\n    "apiVersion": "v1"');
  });

  describe("symbolic links", () => {
    let repo: string;
    let host: string;
    beforeAll(() => {
      repo = join(dir, "repo");
      host = join(dir, "host");
      mkdirSync(repo);
      mkdirSync(host);
      writeFileSync(join(host, "pod.yaml"), POD);
      writeFileSync(join(host, "secret.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: [HOST-SECRET-LINE\n");
      symlinkSync(join(host, "pod.yaml"), join(repo, "pod.yaml"));
      symlinkSync(join(host, "secret.yaml"), join(repo, "secret.yaml"));
      writeFileSync(join(repo, "own.yaml"), POD);
      symlinkSync("own.yaml", join(repo, "inside-link.yaml"));
    });

    it("does not follow links that leave the given paths, and never echoes their content", async () => {
      const r = await cliProcess(["audit", "--rule", "privileged-container", "repo"], dir);
      expect(r.stdout).not.toContain("HOST-SECRET-LINE");
      expect(r.stdout).not.toContain("repo/pod.yaml");
      expect(r.stdout).toContain("repo/own.yaml:10:9: critical:");
      // The link inside the tree is read; the two leaving it are counted as skipped.
      expect(r.stdout).toContain("repo/inside-link.yaml:10:9: critical:");
      expect(r.stdout).toContain("2 findings (2 critical), 0 errors, 2 files audited, 2 skipped");
    });

    it("never fixes through a link, even with --follow-symlinks", async () => {
      const r = await cliProcess([...FIX, "--follow-symlinks", "repo"], dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain(
        `repo/pod.yaml:1:1: error: is a symbolic link to ${join(host, "pod.yaml")}; --fix never writes through links`,
      );
      expect(r.stdout).toContain("repo/inside-link.yaml:1:1: error: is a symbolic link to");
      expect(readFileSync(join(host, "pod.yaml"), "utf8")).toBe(POD);
      expect(readFileSync(join(repo, "own.yaml"), "utf8")).toContain("privileged: false");
    });

    it("never fixes a link named on the command line", async () => {
      const r = await cliProcess([...FIX, join("repo", "pod.yaml")], dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toContain("error: is a symbolic link to");
      expect(readFileSync(join(host, "pod.yaml"), "utf8")).toBe(POD);
    });
  });
});
