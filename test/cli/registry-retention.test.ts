/**
 * `shipshape registry retention` against the real loopback registry: 31 tags over three
 * repositories, seeded with chosen creation times and signatures; the dry run deletes nothing;
 * --apply keeps exactly what the rules, keepTags and a stack's state protect, tag by tag, with
 * every signature of a kept image and none of a deleted one.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RegistryClient } from "../../src/registry";
import { generateSigningKeyPair, loadPrivateKey, loadPublicKey, signImage } from "../../src/signing";
import { REGISTRY, requireRegistry, seedImage, uniqueRepo } from "../signing/helpers";
import { cliProcess, ensureBuilt } from "./helpers";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe("shipshape registry retention (real registry)", () => {
  let client: RegistryClient;
  let dir: string;
  const base = uniqueRepo("retention");
  const web = `${base}/web`;
  const api = `${base}/api`;
  const db = `${base}/db`;
  const digests: Record<string, string> = {};
  const key = generateSigningKeyPair();
  let policyFile: string;
  let stateFile: string;

  const tagsOf = async (repo: string) => (await client.tags(repo)).sort();
  const sigTag = (tag: string) => `sha256-${(digests[tag] ?? "").slice(7)}.sig`;

  beforeAll(async () => {
    await ensureBuilt();
    client = await requireRegistry();
    dir = mkdtempSync(join(tmpdir(), "shipshape-retention-"));
    // web: v1 … v12, one a day (v12 the newest), latest = v12; signatures on v2, v10, v11, v12.
    for (let i = 1; i <= 12; i++) digests[`web:v${i}`] = await seedImage(client, web, `v${i}`, ago(13 - i));
    const v12 = await client.getManifest(web, "v12");
    if (!v12) throw new Error("v12 was not stored");
    await client.putManifest(web, "latest", v12.mediaType, v12.bytes);
    const priv = loadPrivateKey(key.privateKeyPem);
    const pub = loadPublicKey(key.publicKeyPem);
    for (const t of ["v2", "v10", "v11", "v12"])
      await signImage(client, web, digests[`web:${t}`] ?? "", priv, pub);
    // api: release-1 … release-6 from 100 to 95 days old; dev-1 … dev-4 from 3 days old to now.
    for (let i = 1; i <= 6; i++)
      digests[`api:release-${i}`] = await seedImage(client, api, `release-${i}`, ago(101 - i));
    for (let i = 1; i <= 4; i++)
      digests[`api:dev-${i}`] = await seedImage(client, api, `dev-${i}`, ago(4 - i));
    // db: stable (200 days old), t1 … t7.
    digests["db:stable"] = await seedImage(client, db, "stable", ago(200));
    for (let i = 1; i <= 7; i++) digests[`db:t${i}`] = await seedImage(client, db, `t${i}`, ago(30 - i));

    policyFile = join(dir, "retention.yaml");
    writeFileSync(
      policyFile,
      [
        "repositories:",
        `  - "${base}/*"`,
        "rules:",
        '  - tags: ["v*"]',
        "    keepLast: 3",
        '  - tags: ["release-*"]',
        "    keepDays: 97.5",
        '  - tags: ["dev-*"]',
        '  - tags: ["t*"]',
        "    keepLast: 2",
        "keepTags:",
        "  - stable",
        "",
      ].join("\n"),
    );
    // A stack's state still names db:t1's digest: it must stay whatever the rules say.
    stateFile = join(dir, "stack-export.json");
    writeFileSync(
      stateFile,
      JSON.stringify({
        deployment: { resources: [{ outputs: { imageRef: `${REGISTRY}/${db}@${digests["db:t1"]}` } }] },
      }),
    );
  }, 120_000);

  const args = (...extra: string[]) => [
    "registry",
    "retention",
    "--registry",
    REGISTRY,
    "--policy",
    policyFile,
    "--stack-state",
    stateFile,
    "--no-protect-engine",
    ...extra,
  ];

  it("a dry run prints the plan and deletes nothing", async () => {
    const before = [await tagsOf(web), await tagsOf(api), await tagsOf(db)];
    const r = await cliProcess(args("--format", "json"), dir);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      applied: boolean;
      toDelete: number;
      decisions: { tags: string[]; action: string; reasons: string[] }[];
    };
    expect(plan.applied).toBe(false);
    // web v1…v9, sig of v2, api release-1…3, db t2…t5.
    expect(plan.toDelete).toBe(9 + 1 + 3 + 4);
    const t1 = plan.decisions.find((d) => d.tags.includes("t1"));
    expect(t1).toMatchObject({ action: "keep", reasons: [`in use: stack state ${stateFile}`] });
    expect([await tagsOf(web), await tagsOf(api), await tagsOf(db)]).toEqual(before);
    const text = await cliProcess(args(), dir);
    expect(text.stdout).toContain("dry run: nothing deleted (--apply deletes)");
    expect(text.stdout).toMatch(/delete {2}sha256:[0-9a-f]{12}… {2}v1 /);
  });

  it("--apply keeps exactly what the rules say, tag by tag, signatures with their images", async () => {
    const r = await cliProcess(args("--apply"), dir);
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
    expect(r.stdout).toContain("deleted 17");
    expect(await tagsOf(web)).toEqual(
      ["latest", sigTag("web:v10"), sigTag("web:v11"), sigTag("web:v12"), "v10", "v11", "v12"].sort(),
    );
    expect(await tagsOf(api)).toEqual([
      "dev-1",
      "dev-2",
      "dev-3",
      "dev-4",
      "release-4",
      "release-5",
      "release-6",
    ]);
    expect(await tagsOf(db)).toEqual(["stable", "t1", "t6", "t7"]);
    // Deleted by digest: the manifests are gone, not only untagged.
    expect(await client.resolve(web, digests["web:v1"] ?? "")).toBeUndefined();
    expect(await client.resolve(web, sigTag("web:v2"))).toBeUndefined();
    // A second run finds nothing more to delete.
    const again = await cliProcess(args("--format", "json"), dir);
    expect(JSON.parse(again.stdout).toDelete).toBe(0);
  });

  it("refuses bad policies and impossible requests with exit 2, naming the field", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "rules:\n  - tags: ['*']\n    keepLast: 2\n    keepDays: 3\n");
    const r = await cliProcess(["registry", "retention", "--registry", REGISTRY, "--policy", bad], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rules\.0: a rule keeps by count \(keepLast\) or by age \(keepDays\), not both/);
    const none = await cliProcess(["registry", "retention", "--registry", REGISTRY], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("say what to keep");
    const untagged = await cliProcess(
      ["registry", "retention", "--registry", REGISTRY, "--keep-last", "1", "--delete-untagged"],
      dir,
    );
    expect(untagged.code).toBe(2);
    expect(untagged.stderr).toContain("--delete-untagged needs --storage DIR");
    const down = await cliProcess(
      ["registry", "retention", "--registry", "127.0.0.1:5999", "--keep-last", "1", "--no-protect-engine"],
      dir,
    );
    expect(down.code).toBe(2);
    expect(down.stderr).toContain("the registry 127.0.0.1:5999 did not answer");
  });

  it("cleanup (the seed's --cleanup-days/--keep-tags) deletes by age and keeps the named tags", async () => {
    const repo = uniqueRepo("cleanup");
    await seedImage(client, repo, "old", ago(40));
    await seedImage(client, repo, "pinned", ago(40));
    await seedImage(client, repo, "new", ago(1));
    const r = await cliProcess(
      [
        "registry",
        "cleanup",
        "--registry",
        REGISTRY,
        "--repositories",
        repo,
        "--cleanup-days",
        "30",
        "--keep-tags",
        "pinned",
        "--no-protect-engine",
        "--apply",
      ],
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(await tagsOf(repo)).toEqual(["new", "pinned"]);
  });
});
