/**
 * The published package as a user gets it: `npm pack`, installed into a scratch project, resolves
 * `shipshape`, `shipshape/audit`, `shipshape/policy` and `shipshape/model` at run time, and `tsc`
 * type-checks an example program there under both of TypeScript's module resolutions.
 * Needs the build (`npx tsc -p tsconfig.json`, which scripts/test.sh runs first).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "shipshape-pack-"));
/** Runs a command; a failure's message carries what it printed. */
function run(cmd: string, args: string[], cwd = scratch): string {
  try {
    return execFileSync(cmd, args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 600_000,
    });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${stdout ?? ""}${stderr ?? ""}`);
  }
}

describe("the npm package", () => {
  beforeAll(() => {
    if (!existsSync(join(root, "dist/src/index.js")))
      throw new Error("dist/ is missing: build first with `npx tsc -p tsconfig.json` (scripts/test.sh does)");
    run("npm", ["pack", "--silent", "--pack-destination", scratch], root);
    const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
    if (!tarball) throw new Error("npm pack wrote no tarball");
    writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true }));
    run("npm", [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--silent",
      `./${tarball}`,
      "typescript@5.9.3",
      "@types/node@24",
    ]);
  }, 600_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("resolves every entry point at run time", () => {
    const out = run("node", [
      "-e",
      [
        'const root = require("shipshape");',
        'const audit = require("shipshape/audit");',
        'const policy = require("shipshape/policy");',
        'const model = require("shipshape/model");',
        "console.log(JSON.stringify({",
        "  secureService: typeof root.SecureService, secretStore: typeof root.SecretStore, auditPaths: typeof audit.auditPaths,",
        "  rules: audit.allRules.length, policies: typeof policy.shipshapePolicies,",
        "  parseImageRef: typeof model.parseImageRef, rootHasAudit: 'auditPaths' in root }));",
      ].join("\n"),
    ]);
    expect(JSON.parse(out)).toMatchObject({
      secureService: "function",
      secretStore: "function",
      auditPaths: "function",
      policies: "function",
      parseImageRef: "function",
      rootHasAudit: false,
    });
    expect(JSON.parse(out).rules).toBeGreaterThan(50);
  });

  it.each(["node16", "node10"])("type-checks an example with %s module resolution", (resolution) => {
    copyFileSync(join(root, "examples/secure-service-docker/index.ts"), join(scratch, "index.ts"));
    writeFileSync(
      join(scratch, "subpaths.ts"),
      [
        'import { auditPaths, type Finding } from "shipshape/audit";',
        'import { shipshapePolicies } from "shipshape/policy";',
        'import type { Workload } from "shipshape/model";',
        "export const used: [typeof auditPaths, typeof shipshapePolicies, Finding?, Workload?] = [auditPaths, shipshapePolicies];",
        "",
      ].join("\n"),
    );
    const module = resolution === "node16" ? "node16" : "commonjs";
    writeFileSync(
      join(scratch, "tsconfig.json"),
      JSON.stringify({
        // As a Pulumi project's tsconfig has it; skipLibCheck because some dependencies' own
        // declarations do not check on their own (zod's locales, @pulumi/policy's proxy).
        compilerOptions: {
          strict: true,
          noEmit: true,
          module,
          moduleResolution: resolution,
          types: ["node"],
          esModuleInterop: true,
          skipLibCheck: true,
        },
        files: ["index.ts", "subpaths.ts"],
      }),
    );
    const tsc = join(scratch, "node_modules/typescript/bin/tsc");
    run("node", [tsc, "-p", "tsconfig.json"]);
  });
});
