/**
 * `shipshape secrets` as a real process: add → list → apply → remove round trip into a real
 * container on the real Docker engine; a wrong key fails with a clear error and changes nothing;
 * the store interoperates with Debian's `age` both ways.
 *
 * Needs the Docker engine and the `age` CLI (scripts/setup.sh installs both); fails saying so,
 * unless SHIPSHAPE_SKIP_DOCKER=1 / SHIPSHAPE_SKIP_AGE=1.
 */
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliProcess, cliWithInput, ensureBuilt, ROOT, removeDir, runProcess } from "./helpers";

const run = promisify(execFile);
const IMAGE = "shipshape-reference/app:1";
// Opt-outs for a machine without a Docker engine or Debian's age (CI sets neither): without them
// a missing part fails the test.
const skipDocker = process.env.SHIPSHAPE_SKIP_DOCKER === "1";
const skipAge = process.env.SHIPSHAPE_SKIP_AGE === "1";

/** Every file of the store with its content's hash: what "changes nothing" compares. */
function snapshot(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash("sha256")
          .update(readFileSync(join(dir, f)))
          .digest("hex"),
      ]),
  );
}

const requireAge = () =>
  requireTool(
    "age",
    ["--version"],
    "run scripts/setup.sh (it installs Debian's age), or set SHIPSHAPE_SKIP_AGE=1",
  );

async function requireTool(command: string, args: string[], how: string): Promise<void> {
  try {
    await run(command, args);
  } catch (e) {
    throw new Error(`${command} is not usable (${(e as Error).message.split("\n")[0]}): ${how}`);
  }
}

describe("shipshape secrets: the local encrypted store", () => {
  let dir: string;
  let store: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "shipshape-secrets-"));
    store = join(dir, "store");
    const keygen = await cliProcess(["secrets", "keygen", "-o", join(dir, "key.txt")], dir);
    expect(keygen.code, keygen.stderr).toBe(0);
    expect(keygen.stderr).toMatch(/^Public key: age1[0-9a-z]+\n$/);
    expect(statSync(join(dir, "key.txt")).mode & 0o777).toBe(0o600);
  }, 120_000);
  afterAll(() => removeDir(dir));
  const key = () => join(dir, "key.txt");

  it("adds from standard input by default, refuses a value on the command line, warns for --value", async () => {
    const added = await cliWithInput(
      ["secrets", "add", "--name", "db-password", "--secrets-dir", store, "--key", key()],
      dir,
      "s3cret-from-stdin",
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stderr).toBe(`added db-password (17 bytes, encrypted) in ${store}\n`);
    expect(statSync(store).mode & 0o777).toBe(0o700);
    expect(statSync(join(store, "db-password.age")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(store, "db-password.age")).includes("s3cret-from-stdin")).toBe(false);

    const before = snapshot(store);
    const positional = await cliProcess(
      ["secrets", "add", "--name", "x", "--secrets-dir", store, "--key", key(), "oops-value"],
      dir,
    );
    expect(positional.code).toBe(2);
    expect(positional.stderr).toMatch(
      /a value on the command line lands in your shell history .* say --value explicitly/,
    );
    expect(snapshot(store)).toEqual(before);

    const explicit = await cliProcess(
      [
        "secrets",
        "add",
        "--name",
        "api-key",
        "--value",
        "explicit-value",
        "--secrets-dir",
        store,
        "--key",
        key(),
      ],
      dir,
    );
    expect(explicit.code, explicit.stderr).toBe(0);
    expect(explicit.stderr).toMatch(/^warning: --value puts the secret in your shell history/);

    const duplicate = await cliWithInput(
      ["secrets", "add", "--name", "api-key", "--secrets-dir", store, "--key", key()],
      dir,
      "other",
    );
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toMatch(/already holds "api-key"; pass --force/);
    const empty = await cliWithInput(
      ["secrets", "add", "--name", "empty", "--secrets-dir", store, "--key", key()],
      dir,
      "",
    );
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/the secret is empty/);
  });

  it("lists names, never values", async () => {
    const listed = await cliProcess(["secrets", "list", "--secrets-dir", store], dir);
    expect(listed.code, listed.stderr).toBe(0);
    expect(
      listed.stdout
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("\t")[0]),
    ).toEqual(["api-key", "db-password"]);
    for (const v of ["s3cret-from-stdin", "explicit-value"]) {
      expect(listed.stdout).not.toContain(v);
      expect(listed.stderr).not.toContain(v);
    }
    const json = JSON.parse(
      (await cliProcess(["secrets", "list", "--secrets-dir", store, "--format", "json"], dir)).stdout,
    );
    expect(json.secrets.map((s: { name: string }) => s.name)).toEqual(["api-key", "db-password"]);
  });

  it("a wrong key fails with a clear error and changes nothing", async () => {
    const other = join(dir, "other-key.txt");
    expect((await cliProcess(["secrets", "keygen", "-o", other], dir)).code).toBe(0);
    const before = snapshot(store);
    const envFile = join(dir, "wrong.env");
    const attempts = [
      await cliWithInput(
        ["secrets", "add", "--name", "new", "--secrets-dir", store, "--key", other],
        dir,
        "v",
      ),
      await cliProcess(
        ["secrets", "remove", "--name", "db-password", "--secrets-dir", store, "--key", other],
        dir,
      ),
      await cliProcess(
        ["secrets", "apply", "--write-env-file", envFile, "--secrets-dir", store, "--key", other],
        dir,
      ),
    ];
    for (const a of attempts) {
      expect(a.code).toBe(2);
      expect(a.stderr).toMatch(
        /^error: the key does not open the store in .*: its public key age1\w+ is not in recipients\.txt; use the store's key \(nothing was changed\)\n$/,
      );
    }
    expect(snapshot(store)).toEqual(before);
    expect(existsSync(envFile)).toBe(false);
    const notAKey = join(dir, "not-a-key.txt");
    writeFileSync(notAKey, "hello\n");
    const bad = await cliProcess(
      ["secrets", "apply", "--write-env-file", envFile, "--secrets-dir", store, "--key", notAKey],
      dir,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not an age X25519 identity file/);
    const none = await cliProcess(
      ["secrets", "apply", "--write-env-file", envFile, "--secrets-dir", store],
      dir,
    );
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give the age identity file with --key/);
  });

  it("writes an env file (mode 0600) only when asked, with a warning", async () => {
    const envFile = join(dir, "app.env");
    const r = await cliProcess(
      ["secrets", "apply", "--write-env-file", envFile, "--secrets-dir", store, "--key", key()],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: .* holds the secrets in plaintext \(mode 0600\); a container started with --env-file shows them in docker inspect/,
    );
    expect(readFileSync(envFile, "utf8")).toBe("API_KEY=explicit-value\nDB_PASSWORD=s3cret-from-stdin\n");
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
  });

  it.skipIf(skipAge)("a secret written by shipshape decrypts with Debian's age -d", async () => {
    await requireAge();
    const { stdout } = await run("age", ["-d", "-i", key(), join(store, "db-password.age")]);
    expect(stdout).toBe("s3cret-from-stdin");
  });

  it.skipIf(skipAge)(
    "a secret written by age -R recipients.txt, with a key from age-keygen, is read by shipshape",
    async () => {
      await requireAge();
      const written = await runProcess(
        "age",
        ["-R", join(store, "recipients.txt"), "-o", join(store, "from-age.age")],
        {
          cwd: dir,
          input: "written-by-age",
        },
      );
      expect(written.code, written.stderr).toBe(0);
      const envFile = join(dir, "from-age.env");
      const r = await cliProcess(
        [
          "secrets",
          "apply",
          "--name",
          "from-age",
          "--write-env-file",
          envFile,
          "--secrets-dir",
          store,
          "--key",
          key(),
        ],
        dir,
      );
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(envFile, "utf8")).toBe("FROM_AGE=written-by-age\n");

      // A store made for an age-keygen key.
      const ageKey = join(dir, "age-keygen.txt");
      await run("age-keygen", ["-o", ageKey]);
      const other = join(dir, "store-2");
      expect(
        (
          await cliWithInput(
            ["secrets", "add", "--name", "k", "--secrets-dir", other, "--key", ageKey],
            dir,
            "v2",
          )
        ).code,
      ).toBe(0);
      expect((await run("age", ["-d", "-i", ageKey, join(other, "k.age")])).stdout).toBe("v2");
    },
  );

  it.skipIf(skipDocker)(
    "apply copies every secret into a real container as a file owned by its user, mode 0400",
    async () => {
      await requireTool(
        "docker",
        ["version"],
        "run scripts/setup.sh (it starts dockerd), or set SHIPSHAPE_SKIP_DOCKER=1",
      );
      await run("bash", [join(ROOT, "stacks/docker/build-image.sh"), IMAGE]);
      const name = `s15-secrets-${process.pid}-${randomBytes(3).toString("hex")}`;
      try {
        await run("docker", ["volume", "create", name]);
        // The hardened shape: read-only root, the secrets' directory a volume of its own.
        await run("docker", [
          "run",
          "-d",
          "--name",
          name,
          "--user",
          "10001:10001",
          "--read-only",
          "--network",
          "none",
          "--cap-drop",
          "ALL",
          "--security-opt",
          "no-new-privileges:true",
          "--mount",
          `type=volume,source=${name},target=/run/secrets`,
          IMAGE,
          "/bin/sleep",
          "300",
        ]);
        const r = await cliProcess(
          ["secrets", "apply", "--container", name, "--secrets-dir", store, "--key", key()],
          dir,
        );
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toMatch(
          /^applied \/run\/secrets\/api-key, \/run\/secrets\/db-password(, \/run\/secrets\/from-age)? to s15-secrets-\S+ \(owner 10001:10001, mode 0400\)\n$/,
        );
        expect((await run("docker", ["exec", name, "cat", "/run/secrets/db-password"])).stdout).toBe(
          "s3cret-from-stdin",
        );
        expect((await run("docker", ["exec", name, "ls", "-ln", "/run/secrets/db-password"])).stdout).toMatch(
          /^-r-------- +1 10001 +10001 /,
        );
        await expect(
          run("docker", ["exec", "--user", "10002", name, "cat", "/run/secrets/db-password"]),
        ).rejects.toThrow(/Permission denied/);
        // Nothing of it in the container's configuration.
        const inspect = (await run("docker", ["inspect", name])).stdout;
        expect(inspect).not.toContain("s3cret-from-stdin");
        // A path on the read-only root is refused by the engine, clearly.
        const refused = await cliProcess(
          ["secrets", "apply", "--container", name, "--path", "/etc", "--secrets-dir", store, "--key", key()],
          dir,
        );
        expect(refused.code).toBe(2);
        expect(refused.stderr).toMatch(
          /the engine refused the secret files in .*:\/etc \(.*read-only.*\); the directory must exist and be writable/,
        );
        const missing = await cliProcess(
          ["secrets", "apply", "--container", `${name}-nope`, "--secrets-dir", store, "--key", key()],
          dir,
        );
        expect(missing.code).toBe(2);
        expect(missing.stderr).toMatch(/no container "s15-secrets-\S+-nope"/);
      } finally {
        await run("docker", ["rm", "--force", name]).catch(() => undefined);
        await run("docker", ["volume", "rm", "--force", name]).catch(() => undefined);
      }
    },
    180_000,
  );

  it("removes a secret with the store's key", async () => {
    const r = await cliProcess(
      ["secrets", "remove", "--name", "api-key", "--secrets-dir", store, "--key", key()],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const listed = await cliProcess(["secrets", "list", "--secrets-dir", store], dir);
    expect(listed.stdout).not.toMatch(/^api-key\t/m);
    expect(listed.stdout).toMatch(/^db-password\t/m);
  });
});
