/**
 * `--encryption-key <file>`, the seed's name for `--key` (container-secrets-manager.sh), opens the
 * store on `secrets add`, `remove` and `apply` like `--key` does; in-process, no engine needed.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCliAsync } from "../../src/cli/program";
import { removeDir } from "./helpers";

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCliAsync(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  });
  return { code, stdout, stderr };
}

describe("shipshape secrets --encryption-key", () => {
  let dir: string;
  let store: string;
  let key: string;
  let other: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "shipshape-secrets-ek-"));
    store = join(dir, "store");
    key = join(dir, "key.txt");
    other = join(dir, "other.txt");
    for (const file of [key, other]) {
      const r = await cli(["secrets", "keygen", "-o", file]);
      expect(r.code, r.stderr).toBe(0);
    }
    writeFileSync(join(dir, "value.txt"), "v4lue");
  });
  afterAll(() => removeDir(dir));

  it("adds, writes an env file from and removes a secret with the seed's option name", async () => {
    const added = await cli([
      "secrets",
      "add",
      "--name",
      "db",
      "--file",
      join(dir, "value.txt"),
      "--secrets-dir",
      store,
      "--encryption-key",
      key,
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toBe(`added db (5 bytes, encrypted) in ${store}\n`);

    const env = join(dir, "app.env");
    const applied = await cli([
      "secrets",
      "apply",
      "--write-env-file",
      env,
      "--secrets-dir",
      store,
      "--encryption-key",
      key,
    ]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(readFileSync(env, "utf8")).toBe("DB=v4lue\n");

    const wrong = await cli([
      "secrets",
      "remove",
      "--name",
      "db",
      "--secrets-dir",
      store,
      "--encryption-key",
      other,
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/the key does not open the store .* is not in recipients\.txt/);
    expect(readdirSync(store)).toContain("db.age");

    const removed = await cli([
      "secrets",
      "remove",
      "--name",
      "db",
      "--secrets-dir",
      store,
      "--encryption-key",
      key,
    ]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(readdirSync(store)).not.toContain("db.age");
  });
});
