/**
 * `shipshape image keygen|push|sign|verify` as real processes against the real engine, registry,
 * trivy and cosign: keys on disk with the right modes, a gated push that refuses the vulnerable
 * test image and pushes and signs the fixed one, verification agreeing with cosign, and every
 * failure with its own exit code and message.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import type { RegistryClient } from "../../src/registry";
import { FIXED_IMAGE, requireScanner, VULNERABLE_IMAGE } from "../scan/helpers";
import { cosign, REGISTRY, requireCosign, requireRegistry, uniqueRepo } from "../signing/helpers";
import { cliProcess, ensureBuilt } from "./helpers";

const run = promisify(execFile);

describe("shipshape image (real engine, registry, trivy and cosign)", () => {
  let dir: string;
  let client: RegistryClient;

  beforeAll(async () => {
    await ensureBuilt();
    await requireScanner();
    requireCosign();
    client = await requireRegistry();
    dir = mkdtempSync(join(tmpdir(), "shipshape-image-cli-"));
  }, 300_000);

  it("keygen writes a 0600 private key and a public key, and never overwrites them", async () => {
    const r = await cliProcess(["image", "keygen", "--output-dir", dir, "--name", "release"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(join(dir, "release.key")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, "release.key"), "utf8")).toContain("BEGIN PRIVATE KEY");
    expect(readFileSync(join(dir, "release.pub"), "utf8")).toContain("BEGIN PUBLIC KEY");
    expect(r.stdout).not.toContain(readFileSync(join(dir, "release.key"), "utf8").split("\n")[1]);
    const again = await cliProcess(["image", "keygen", "--output-dir", dir, "--name", "release"], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("exists");
    expect((await cliProcess(["image", "keygen", "--output-dir", dir, "--name", "other"], dir)).code).toBe(0);
  });

  it("keygen names a missing or unusable --output-dir and leaves no half pair", async () => {
    const missing = await cliProcess(["image", "keygen", "--output-dir", join(dir, "nope")], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--output-dir ".*nope" does not exist: create it first/);
    expect(missing.stderr).not.toContain("internal error");
    const file = await cliProcess(["image", "keygen", "--output-dir", join(dir, "release.pub")], dir);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/is not a directory/);
    // With --force, the public key's name taken by a directory: the private key written first is
    // removed again (it was new; an older one would have been kept).
    mkdirSync(join(dir, "half.pub"));
    const half = await cliProcess(["image", "keygen", "--output-dir", dir, "--name", "half", "--force"], dir);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/cannot write the key pair in .*: EISDIR/);
    expect(existsSync(join(dir, "half.key"))).toBe(false);
  });

  it("push refuses the vulnerable image (exit 1, nothing pushed)", async () => {
    const repo = uniqueRepo("cli-vuln");
    const r = await cliProcess(["image", "push", VULNERABLE_IMAGE, "--to", `${REGISTRY}/${repo}:1`], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("push refused");
    expect(r.stderr).toContain("CVE-2021-44906");
    expect(await client.tags(repo)).toEqual([]);
    // `registry push --block-critical` (the seed's name) gates on critical only: minimist's critical advisory still blocks.
    const critical = await cliProcess(
      ["registry", "push", VULNERABLE_IMAGE, "--to", `${REGISTRY}/${repo}:1`, "--block-critical"],
      dir,
    );
    expect(critical.code).toBe(1);
    expect(critical.stderr).toContain("at or above critical");
  }, 300_000);

  it("push scans, pushes and signs the fixed image; verify and cosign agree; a wrong key fails", async () => {
    const repo = uniqueRepo("cli-fixed");
    const ref = `${REGISTRY}/${repo}:1`;
    const pushed = await cliProcess(
      ["image", "push", FIXED_IMAGE, "--to", ref, "--sign-key", join(dir, "release.key")],
      dir,
    );
    expect(pushed.code, pushed.stderr).toBe(0);
    const digest = /@(sha256:[a-f0-9]{64})/.exec(pushed.stdout)?.[1];
    expect(digest).toBeDefined();
    expect((await client.resolve(repo, "1"))?.digest).toBe(digest);
    expect(pushed.stdout).toContain(`signed: ${REGISTRY}/${repo}@${digest}`);

    const ok = await cliProcess(
      ["image", "verify", ref, "--key", join(dir, "release.pub"), "--format", "json"],
      dir,
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ verified: true, digest, signatures: 1 });
    const byCosign = await cosign([
      "verify",
      "--key",
      join(dir, "release.pub"),
      "--insecure-ignore-tlog=true",
      ref,
    ]);
    expect(byCosign.code, byCosign.output).toBe(0);

    const wrong = await cliProcess(["image", "verify", ref, "--key", join(dir, "other.pub")], dir);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("not verified (signature-mismatch)");
    // Either of two keys is enough.
    const either = await cliProcess(
      ["image", "verify", ref, "--key", join(dir, "other.pub"), "--key", join(dir, "release.pub")],
      dir,
    );
    expect(either.code, either.stderr).toBe(0);

    // sign again with the other key: both verify; sign is idempotent per key.
    const second = await cliProcess(["image", "sign", ref, "--key", join(dir, "other.key")], dir);
    expect(second.stdout).toContain(`signed: ${REGISTRY}/${repo}@${digest}`);
    const twice = await cliProcess(["image", "sign", ref, "--key", join(dir, "other.key")], dir);
    expect(twice.stdout).toContain("already signed");
    expect((await cliProcess(["image", "verify", ref, "--key", join(dir, "other.pub")], dir)).code).toBe(0);

    // The tag pushed again with unsigned content: verification by tag fails.
    await run("docker", ["tag", VULNERABLE_IMAGE, ref]);
    await run("docker", ["push", ref]);
    const moved = await cliProcess(["image", "verify", ref, "--key", join(dir, "release.pub")], dir);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toContain("no-signatures");
    expect(
      (
        await cliProcess(
          ["image", "verify", `${REGISTRY}/${repo}@${digest}`, "--key", join(dir, "release.pub")],
          dir,
        )
      ).code,
    ).toBe(0);
  }, 300_000);

  it("bad input and an unreachable registry exit 2 with the reason", async () => {
    const noKey = await cliProcess(["image", "verify", `${REGISTRY}/x/y:1`], dir);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("--key");
    const notRegistry = await cliProcess(
      ["image", "verify", "app:1", "--key", join(dir, "release.pub")],
      dir,
    );
    expect(notRegistry.code).toBe(2);
    expect(notRegistry.stderr).toContain("names no registry host");
    const pubAsPrivate = await cliProcess(
      ["image", "sign", `${REGISTRY}/x/y:1`, "--key", join(dir, "release.pub")],
      dir,
    );
    expect(pubAsPrivate.code).toBe(2);
    expect(pubAsPrivate.stderr).toContain("not a readable PEM private key");
    const down = await cliProcess(
      ["image", "verify", "127.0.0.1:5999/x/y:1", "--key", join(dir, "release.pub")],
      dir,
    );
    expect(down.code).toBe(2);
    expect(down.stderr).toContain("the registry 127.0.0.1:5999 did not answer");
  });
});
