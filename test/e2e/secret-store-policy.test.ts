/**
 * `secret-passed-as-env` stays the guard for SecretStore: under the real engine
 * (`pulumi preview --policy-pack policy`, local backend), a service taking a store's generated
 * secret as an environment variable is a mandatory violation that fails the preview, and the
 * service taking the same secret as a file is not reported. (`shipshape check` runs programs
 * under mocks, which carry no property dependencies, so only the engine can show this.)
 *
 * Fails (telling you to run scripts/setup.sh) when the Pulumi toolchain is missing, unless
 * SHIPSHAPE_SKIP_PULUMI=1.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  POLICY_PACK,
  PulumiWorkspace,
  policyViolations,
  REPO,
  requireToolchain,
  skipPulumi,
} from "./pulumi-cli";

const PROGRAM = join(REPO, "test/fixtures/programs/secret-store-env-misuse");

describe.skipIf(skipPulumi)("SecretStore secrets under the policy pack (real CLI)", () => {
  let ws: PulumiWorkspace;
  beforeAll(async () => {
    await requireToolchain();
    ws = new PulumiWorkspace("secret-policy-e2e");
  });
  afterAll(() => ws?.dispose());

  it("reports the secret passed as env on that service only, and fails the preview", async () => {
    const dir = ws.stage("secret-store-env-misuse", join(PROGRAM, "index.ts"));
    await ws.pulumiOk(["stack", "init", "e2e"], dir);
    const result = await ws.pulumi(["preview", "--policy-pack", POLICY_PACK], dir);
    const secretEnv = policyViolations(result.output).filter((v) => v.policy === "secret-passed-as-env");
    expect(
      secretEnv.map((v) => `${v.resourceName} ${v.level}`),
      result.output,
    ).toEqual(["in-env mandatory"]);
    expect(result.output).toMatch(
      /container in-env takes an environment variable from random:index\/randomPassword:RandomPassword app-session-key/,
    );
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/error: preview failed/);
  }, 240_000);
});
