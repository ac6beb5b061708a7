/**
 * `shipshape volume backup|list|restore` in process: the work runs in the CLI's worker process
 * (real age encryption, real files); the identity comes from a file, never argv.
 */
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity, identityToRecipient } from "age-encryption";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TarEntryType, writeTar } from "../../src/volume/tar";
import { cliInProcess } from "./helpers";

let dir: string;
let keyFile: string;
let recipient: string;
let identity: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "shipshape-vol16-cli-"));
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
  keyFile = join(dir, "key.txt");
  writeFileSync(keyFile, `${identity}\n`, { mode: 0o600 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("shipshape volume", () => {
  it("backs up, lists and restores a volume byte for byte", () => {
    const src = join(dir, "src");
    mkdirSync(join(src, "sub"), { recursive: true });
    writeFileSync(join(src, "state.txt"), "counter=7\n");
    writeFileSync(join(src, "sub", "data.bin"), Buffer.from([0, 1, 2, 255]));
    const backups = join(dir, "backups");
    const backup = cliInProcess([
      "volume",
      "backup",
      src,
      "--volume",
      "cli-vol",
      "--to",
      backups,
      "--recipient",
      recipient,
    ]);
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/backed up 3 entries \(14 bytes\) of cli-vol/);
    const list = cliInProcess(["volume", "list", backups, "--format", "json"]);
    const listed = JSON.parse(list.stdout) as { manifest: string; volume: string; files: number }[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ volume: "cli-vol", files: 2 });
    const target = join(dir, "restored");
    const restore = cliInProcess([
      "volume",
      "restore",
      listed[0]?.manifest ?? "",
      "--into",
      target,
      "--identity-file",
      keyFile,
    ]);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/restored 3 entries .*; refused 0/);
    expect(readFileSync(join(target, "state.txt"), "utf8")).toBe("counter=7\n");
    expect([...readFileSync(join(target, "sub", "data.bin"))]).toEqual([0, 1, 2, 255]);
  }, 60_000);

  it("restores a hostile backup without writing outside, listing each refusal, exit 1", () => {
    // A hostile archive, encrypted with Debian's age so it is not shipshape's own writer's output.
    const tar = join(dir, "hostile.tar");
    const e = { mode: 0o644, uid: 0, gid: 0, mtime: 0 };
    writeFileSync(
      tar,
      writeTar([
        { ...e, path: "../outside.txt", type: TarEntryType.File, data: new TextEncoder().encode("x") },
        { ...e, path: "escape", type: TarEntryType.Symlink, linkTarget: "/" },
        { ...e, path: "ok.txt", type: TarEntryType.File, data: new TextEncoder().encode("ok") },
      ]),
    );
    const hostileDir = join(dir, "hostile-backups");
    mkdirSync(hostileDir);
    execFileSync("age", ["-r", recipient, "-o", join(hostileDir, "h.tar.age"), tar]);
    const sha = (p: string) => execFileSync("sha256sum", [p], { encoding: "utf8" }).split(" ")[0];
    writeFileSync(
      join(hostileDir, "h.manifest.json"),
      JSON.stringify({
        format: "shipshape-volume-backup/1",
        volume: "h",
        createdAt: "2026-12-01T00:00:00.000Z",
        archive: "h.tar.age",
        sha256: sha(tar),
        encryptedSha256: sha(join(hostileDir, "h.tar.age")),
        entries: 3,
        bytes: 3,
        files: {},
        skipped: [],
      }),
    );
    const box = join(dir, "box");
    mkdirSync(box);
    const restore = cliInProcess([
      "volume",
      "restore",
      join(hostileDir, "h.manifest.json"),
      "--into",
      join(box, "v"),
      "--identity-file",
      keyFile,
    ]);
    expect(restore.code).toBe(1);
    expect(restore.stdout).toMatch(/refused \.\.\/outside\.txt: path traversal/);
    expect(restore.stdout).toMatch(/refused escape: symlink to an absolute path/);
    expect(readdirSync(box)).toEqual(["v"]);
    expect(readdirSync(join(box, "v"))).toEqual(["ok.txt"]);
  }, 60_000);

  it("fails with the option and the fix on bad input, writing nothing", () => {
    const none = cliInProcess(["volume", "backup", dir, "--volume", "x", "--to", join(dir, "never")]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--recipient age1/);
    expect(existsSync(join(dir, "never"))).toBe(false);
    const emptyKey = join(dir, "empty.txt");
    writeFileSync(emptyKey, "# nothing\n");
    const badKey = cliInProcess([
      "volume",
      "restore",
      join(dir, "nope.manifest.json"),
      "--into",
      join(dir, "r2"),
      "--identity-file",
      emptyKey,
    ]);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/--identity-file.*no AGE-SECRET-KEY-1/);
    const owner = cliInProcess([
      "volume",
      "restore",
      "m.json",
      "--into",
      "x",
      "--identity-file",
      keyFile,
      "--owner",
      "root",
    ]);
    expect(owner.code).toBe(2);
    expect(owner.stderr).toMatch(/--owner' got "root"; give numeric uid:gid/);
    const link = join(dir, "link-dir");
    symlinkSync("/nonexistent", link);
    const missing = cliInProcess(["volume", "list", link]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ENOENT/);
  }, 60_000);
});
