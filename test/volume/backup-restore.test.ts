/**
 * Backups and restores against the real parts: age-encryption for the archives, Debian's `age`
 * command for interop, GNU tar for archives shipshape did not write, the real filesystem for
 * what a restore writes (and, above all, what it does not).
 */
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, identityToRecipient } from "age-encryption";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectEntries, createBackup, listBackups, openBackup } from "../../src/volume/backup";
import { planRestore, restoreArchive, restoreBackup } from "../../src/volume/restore";
import { readTar, type TarEntry, TarEntryType, writeTar } from "../../src/volume/tar";

const skipAge = process.env.SHIPSHAPE_SKIP_AGE === "1";

function requireTool(tool: string, pkg: string): void {
  try {
    execFileSync("sh", ["-c", 'command -v "$0"', tool], { stdio: "ignore" });
  } catch {
    throw new Error(
      `${tool} not found: run scripts/setup.sh (it installs Debian's ${pkg}), or set SHIPSHAPE_SKIP_AGE=1`,
    );
  }
}

const sha = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

/** Every file under a directory with its SHA-256 (and symlinks with their targets). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const path = rel ? `${rel}/${name}` : name;
      const st = lstatSync(full);
      if (st.isDirectory()) {
        out[`${path}/`] = (st.mode & 0o777).toString(8);
        walk(full, path);
      } else if (st.isSymbolicLink()) out[path] = `-> ${readlinkSync(full)}`;
      else out[path] = `${sha(readFileSync(full))} ${(st.mode & 0o777).toString(8)}`;
    }
  };
  walk(dir, "");
  return out;
}

let work: string;
let identity: string;
let recipient: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "shipshape-vol16-"));
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function volumeWithData(name: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, "nested/deeper"), { recursive: true });
  writeFileSync(join(dir, "state.json"), '{"counter":42}\n');
  writeFileSync(join(dir, "nested/blob.bin"), randomBytes(300_000), { mode: 0o640 });
  writeFileSync(join(dir, "nested/deeper/empty"), "");
  writeFileSync(join(dir, `${"long-name-".repeat(15)}.txt`), "a path longer than ustar's 100 bytes\n");
  symlinkSync("../state.json", join(dir, "nested/link-to-state"));
  return dir;
}

describe("tar", () => {
  it("round-trips every entry type it writes, long paths included", () => {
    const entries: TarEntry[] = [
      { path: "d", type: TarEntryType.Directory, mode: 0o755, uid: 1, gid: 2, mtime: 1 },
      {
        path: `d/${"x".repeat(180)}`,
        type: TarEntryType.File,
        mode: 0o600,
        uid: 1,
        gid: 2,
        mtime: 1,
        data: new Uint8Array([1, 2, 3]),
      },
      {
        path: "d/l",
        type: TarEntryType.Symlink,
        mode: 0o777,
        uid: 0,
        gid: 0,
        mtime: 1,
        linkTarget: "y".repeat(150),
      },
    ];
    const back = readTar(writeTar(entries));
    expect(back.map((e) => [e.path, e.type, e.mode, e.linkTarget])).toEqual(
      entries.map((e) => [e.path, e.type, e.mode, e.linkTarget]),
    );
    expect(Array.from(back[1]?.data ?? [])).toEqual([1, 2, 3]);
  });

  it("is read by GNU tar, and reads what GNU tar writes", () => {
    const src = volumeWithData("gnu-src");
    const { entries } = collectEntries(src);
    const ours = join(work, "ours.tar");
    writeFileSync(ours, writeTar(entries));
    const listed = execFileSync("tar", ["-tf", ours], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map((l) => l.replace(/\/$/, ""));
    expect(listed.sort()).toEqual(entries.map((e) => e.path).sort());
    const theirs = join(work, "theirs.tar");
    execFileSync("tar", ["-cf", theirs, "--format=pax", "-C", src, "."]);
    const read = readTar(readFileSync(theirs));
    const blob = read.find((e) => e.path === "./nested/blob.bin");
    expect(sha(blob?.data ?? new Uint8Array())).toBe(sha(readFileSync(join(src, "nested/blob.bin"))));
  });

  it("rejects a damaged header", () => {
    const tar = writeTar([
      { path: "a", type: TarEntryType.File, mode: 0o600, uid: 0, gid: 0, mtime: 0, data: new Uint8Array(3) },
    ]);
    tar[10] = 0x41;
    expect(() => readTar(tar)).toThrow(/wrong checksum/);
  });
});

describe("backup and restore", () => {
  it("keeps every byte through backup, removal and restore (checksums)", async () => {
    const src = volumeWithData("roundtrip");
    const before = tree(src);
    const backups = join(work, "backups-roundtrip");
    const { manifestPath, manifest, archivePath } = await createBackup({
      source: src,
      volume: "roundtrip",
      directory: backups,
      recipients: [recipient],
    });
    expect(manifest.files["nested/blob.bin"]).toBe(sha(readFileSync(join(src, "nested/blob.bin"))));
    // The archive is ciphertext: no file's contents appear in it.
    expect(readFileSync(archivePath).includes(Buffer.from('"counter":42'))).toBe(false);
    expect((lstatSync(archivePath).mode & 0o777).toString(8)).toBe("600");
    rmSync(src, { recursive: true });
    const target = join(work, "roundtrip-restored");
    const result = await restoreBackup(manifestPath, [identity], target);
    expect(result.refused).toEqual([]);
    expect(tree(target)).toEqual(before);
    for (const [path, digest] of Object.entries(manifest.files))
      expect(sha(readFileSync(join(target, path)))).toBe(digest);
  });

  it("verifies the recorded checksum before writing anything", async () => {
    const src = volumeWithData("tamper");
    const backups = join(work, "backups-tamper");
    const { manifestPath, archivePath } = await createBackup({
      source: src,
      volume: "tamper",
      directory: backups,
      recipients: [recipient],
    });
    const bytes = readFileSync(archivePath);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
    writeFileSync(archivePath, bytes);
    const target = join(work, "tamper-restored");
    await expect(restoreBackup(manifestPath, [identity], target)).rejects.toThrow(
      /SHA-256 differs.*nothing was restored/,
    );
    expect(existsSync(target)).toBe(false);
    // A manifest whose plaintext checksum is wrong: decrypts fine, still refused before writing.
    const other = await createBackup({
      source: src,
      volume: "tamper2",
      directory: backups,
      recipients: [recipient],
    });
    const m = JSON.parse(readFileSync(other.manifestPath, "utf8"));
    m.sha256 = "0".repeat(64);
    writeFileSync(other.manifestPath, JSON.stringify(m));
    await expect(restoreBackup(other.manifestPath, [identity], target)).rejects.toThrow(
      /decrypted archive's SHA-256 differs/,
    );
    expect(existsSync(target)).toBe(false);
    // The wrong identity.
    const stranger = await generateIdentity();
    const third = await createBackup({
      source: src,
      volume: "tamper3",
      directory: backups,
      recipients: [recipient],
    });
    await expect(openBackup(third.manifestPath, [stranger])).rejects.toThrow(/cannot decrypt/);
  });

  it("keeps the number of backups it is told to, and lists them oldest first", async () => {
    const src = volumeWithData("retention");
    const dir = join(work, "backups-retention");
    for (let i = 0; i < 4; i++)
      await createBackup({
        source: src,
        volume: "retention",
        directory: dir,
        recipients: [recipient],
        keep: 2,
        now: new Date(Date.UTC(2026, 0, 1 + i)),
      });
    const listed = listBackups(dir);
    expect(listed.map((b) => b.manifest.createdAt)).toEqual([
      "2026-01-03T00:00:00.000Z",
      "2026-01-04T00:00:00.000Z",
    ]);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tar.age"))).toHaveLength(2);
  });

  it("rejects bad recipients and names with the field and the fix", async () => {
    const src = volumeWithData("bad-args");
    await expect(
      createBackup({ source: src, volume: "x", directory: work, recipients: ["ssh-rsa AAAA"] }),
    ).rejects.toThrow(/recipients:.*age1/);
    await expect(
      createBackup({ source: src, volume: "../x", directory: work, recipients: [recipient] }),
    ).rejects.toThrow(/volume:/);
    await expect(createBackup({ source: src, volume: "x", directory: work, recipients: [] })).rejects.toThrow(
      /at least one/,
    );
  });
});

describe("interop with Debian's age", () => {
  it.skipIf(skipAge)(
    "age -d decrypts shipshape's backup; shipshape restores an archive age -r encrypted",
    async () => {
      requireTool("age", "age");
      const keyFile = join(work, "key.txt");
      writeFileSync(keyFile, `# test identity\n${identity}\n`, { mode: 0o600 });
      const src = volumeWithData("interop");
      const { archivePath, manifest } = await createBackup({
        source: src,
        volume: "interop",
        directory: join(work, "b-interop"),
        recipients: [recipient],
      });
      const tar = execFileSync("age", ["-d", "-i", keyFile, archivePath]);
      expect(sha(tar)).toBe(manifest.sha256);
      const listing = execFileSync("tar", ["-tf", "-"], { input: tar, encoding: "utf8" });
      expect(listing).toContain("nested/blob.bin");

      // The other way: GNU tar + age CLI, restored by shipshape with a manifest of its checksums.
      const gnuTar = join(work, "interop-gnu.tar");
      execFileSync("tar", ["-cf", gnuTar, "-C", src, "state.json", "nested"]);
      const cliDir = join(work, "b-cli");
      mkdirSync(cliDir);
      const encrypted = join(cliDir, "cli.tar.age");
      execFileSync("age", ["-r", recipient, "-o", encrypted, gnuTar]);
      writeFileSync(
        join(cliDir, "cli.manifest.json"),
        JSON.stringify({
          format: "shipshape-volume-backup/1",
          volume: "cli",
          createdAt: new Date().toISOString(),
          archive: "cli.tar.age",
          sha256: sha(readFileSync(gnuTar)),
          encryptedSha256: sha(readFileSync(encrypted)),
          entries: 0,
          bytes: 0,
          files: {},
          skipped: [],
        }),
      );
      const target = join(work, "interop-restored");
      const result = await restoreBackup(join(cliDir, "cli.manifest.json"), [identity], target);
      expect(result.refused).toEqual([]);
      expect(readFileSync(join(target, "state.json"), "utf8")).toBe('{"counter":42}\n');
      expect(sha(readFileSync(join(target, "nested/blob.bin")))).toBe(
        sha(readFileSync(join(src, "nested/blob.bin"))),
      );
    },
  );
});

describe("restore of a hostile archive", () => {
  const base = { mode: 0o644, uid: 0, gid: 0, mtime: 0 };
  const file = (path: string, text = "pwned", mode = 0o644): TarEntry => ({
    ...base,
    mode,
    path,
    type: TarEntryType.File,
    data: new TextEncoder().encode(text),
  });
  const hostile: TarEntry[] = [
    file("ok.txt", "fine"),
    file("../escaped.txt"),
    file("a/../../escaped2.txt"),
    file("/tmp/shipshape-vol16-absolute.txt"),
    { ...base, path: "evil-link", type: TarEntryType.Symlink, linkTarget: "../../../../etc" },
    { ...base, path: "abs-link", type: TarEntryType.Symlink, linkTarget: "/etc/passwd" },
    file("evil-link/cron-job"),
    { ...base, path: "hard", type: TarEntryType.Hardlink, linkTarget: "/etc/shadow" },
    { ...base, path: "hard2", type: TarEntryType.Hardlink, linkTarget: "../outside" },
    { ...base, path: "dev-null", type: TarEntryType.CharDevice },
    { ...base, path: "disk", type: TarEntryType.BlockDevice },
    { ...base, path: "pipe", type: TarEntryType.Fifo },
    file("suid-shell", "#!/bin/sh\n", 0o4755),
    file("sgid", "x", 0o2755),
    { ...base, path: "inside-link", type: TarEntryType.Symlink, linkTarget: "ok.txt" },
    { ...base, path: "hard-ok", type: TarEntryType.Hardlink, linkTarget: "ok.txt" },
  ];

  it("restores nothing outside the volume, and reports each refusal", () => {
    const box = mkdtempSync(join(work, "hostile-"));
    const target = join(box, "volume");
    const result = restoreArchive(writeTar(hostile), target);
    const reasons = Object.fromEntries(result.refused.map((r) => [r.path, r.reason]));
    expect(reasons).toMatchObject({
      "../escaped.txt": expect.stringMatching(/traversal/),
      "a/../../escaped2.txt": expect.stringMatching(/traversal/),
      "/tmp/shipshape-vol16-absolute.txt": expect.stringMatching(/absolute/),
      "evil-link": expect.stringMatching(/outside the volume/),
      "abs-link": expect.stringMatching(/absolute path/),
      hard: expect.stringMatching(/hard link.*outside/),
      hard2: expect.stringMatching(/hard link.*outside/),
      "dev-null": "device file",
      disk: "device file",
      pipe: "fifo",
      "suid-shell": expect.stringMatching(/setuid/),
      sgid: expect.stringMatching(/setgid/),
    });
    // evil-link was refused itself, so its child is written as a plain directory inside.
    expect(result.restored.sort()).toEqual(["evil-link/cron-job", "hard-ok", "inside-link", "ok.txt"].sort());
    expect(readdirSync(box)).toEqual(["volume"]);
    expect(existsSync("/tmp/shipshape-vol16-absolute.txt")).toBe(false);
    expect(lstatSync(join(target, "evil-link")).isDirectory()).toBe(true);
    expect(readlinkSync(join(target, "inside-link"))).toBe("ok.txt");
  });

  it("never writes through a symlink the archive itself creates", () => {
    const plan = planRestore([
      { ...base, path: "inner", type: TarEntryType.Symlink, linkTarget: "." },
      file("inner/x"),
    ]);
    expect(plan.refused.map((r) => [r.path, r.reason])).toEqual([
      ["inner/x", "its path goes through a symlink of the archive"],
    ]);
  });

  it("refuses what GNU tar packs from a hostile tree: absolute names, escaping links, a device node, setuid", () => {
    const tree = join(work, "gnu-hostile");
    mkdirSync(tree);
    writeFileSync(join(tree, "suid"), "x", { mode: 0o4755 });
    execFileSync("chmod", ["4755", join(tree, "suid")]);
    symlinkSync("/etc", join(tree, "etc-link"));
    execFileSync("mknod", [join(tree, "null"), "c", "1", "3"]);
    writeFileSync(join(tree, "fine"), "fine");
    const archive = join(work, "gnu-hostile.tar");
    const abs = join(work, "gnu-abs.txt");
    writeFileSync(abs, "absolute");
    execFileSync("tar", [
      "-cf",
      archive,
      "--absolute-names",
      "-C",
      tree,
      "suid",
      "etc-link",
      "null",
      "fine",
      abs,
    ]);
    const target = join(work, "gnu-hostile-restored");
    const result = restoreArchive(readFileSync(archive), target);
    expect(result.restored).toEqual(["fine"]);
    expect(result.refused.map((r) => r.path).sort()).toEqual([abs, "etc-link", "null", "suid"].sort());
  });

  it("refuses a non-empty target before writing", () => {
    const target = join(work, "non-empty");
    mkdirSync(target);
    writeFileSync(join(target, "keep"), "mine");
    expect(() => restoreArchive(writeTar([file("ok.txt")]), target)).toThrow(/not empty/);
    expect(readdirSync(target)).toEqual(["keep"]);
  });
});
