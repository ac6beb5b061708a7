/**
 * `shipshape init`: every type and platform writes a Dockerfile, a compose.yaml and a Pulumi
 * program that shipshape's own checks pass, and it never overwrites a file.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InitPlatform, InitType } from "../../src/init";
import { cliInProcess, cliProcess, ensureBuilt, ROOT, removeDir } from "./helpers";

// Inside the repository, so the programs resolve `shipshape` and `@pulumi/pulumi` from it.
mkdirSync(join(ROOT, "tmp"), { recursive: true });
const work = mkdtempSync(join(ROOT, "tmp", "init-"));

const combos = Object.values(InitType).flatMap((type) =>
  Object.values(InitPlatform).map((platform) => ({ type, platform })),
);

describe("shipshape init", () => {
  beforeAll(ensureBuilt, 300_000);
  afterAll(() => removeDir(work));

  it.each(combos)("$type on $platform: the Dockerfile and compose.yaml audit clean", ({ type, platform }) => {
    const dir = join(work, `${type}-${platform}`);
    const init = cliInProcess(["init", dir, "--type", type, "--platform", platform]);
    expect(init.code, init.stderr).toBe(0);
    for (const file of ["Dockerfile", "compose.yaml", "index.ts", "Pulumi.yaml", "package.json"])
      expect(init.stdout).toContain(join(dir, file));
    for (const profile of ["default", "cis-docker"]) {
      const audited = cliInProcess([
        "audit",
        join(dir, "Dockerfile"),
        join(dir, "compose.yaml"),
        "--profile",
        profile,
        "--min-severity",
        "info",
      ]);
      expect(audited.stdout, `${profile}: ${audited.stdout}${audited.stderr}`).toMatch(
        /^0 findings, 0 errors, 2 files audited$/m,
      );
      expect(audited.code).toBe(0);
    }
    const dockerfile = readFileSync(join(dir, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/^FROM \$\{BUILD_IMAGE\} AS build$/m);
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(readFileSync(join(dir, "index.ts"), "utf8")).toContain(
      platform === "docker" ? "docker: {}" : 'kubernetes: {\n    namespace: "app"',
    );
  });

  it.each(combos)(
    "$type on $platform: the Pulumi program passes the policy pack",
    async ({ type, platform }) => {
      const dir = join(work, `${type}-${platform}`);
      const checked = await cliProcess(["check", dir], ROOT);
      // The one finding is advisory and true: nothing in a new project scans or signs its image yet.
      expect(checked.code, `${checked.stdout}${checked.stderr}`).toBe(0);
      expect(checked.stdout).toMatch(/^1 finding \(1 medium\), 0 errors/m);
      expect(checked.stdout).toMatch(/\(advisory\) \[image-not-verified\]/);
    },
    120_000,
  );

  it("refuses to overwrite, naming the files, and writes nothing", () => {
    const dir = join(work, "existing");
    mkdirSync(dir);
    writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n");
    const r = cliInProcess(["init", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /Dockerfile already exists; init writes only into a directory without these files \(nothing was written\)/,
    );
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toBe("FROM scratch\n");
    expect(() => readFileSync(join(dir, "compose.yaml"))).toThrow();
  });

  it("rejects an unknown type", () => {
    const r = cliInProcess(["init", join(work, "x"), "--type", "cache"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/argument 'cache' is invalid. Allowed choices are web, worker, database/);
  });
});
