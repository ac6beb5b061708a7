import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { Log } from "sarif";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliInProcess, fixtureDir, removeDir } from "./helpers";
import { multitool, multitoolProblems } from "./sarif-tools";

describe("SARIF output", () => {
  let dir: string;
  let sarif: Log;
  beforeAll(() => {
    dir = fixtureDir(["suppressions.yaml", "clean.yaml", "broken.yaml"]);
    const relativeFile = relative(process.cwd(), join(dir, "suppressions.yaml"));
    const r = cliInProcess([
      "audit",
      "--format",
      "sarif",
      "--rule",
      "suppression-reason-required,suppression-unused",
      relativeFile,
      join(dir, "clean.yaml"),
      join(dir, "broken.yaml"),
    ]);
    expect(r.code).toBe(2);
    sarif = JSON.parse(r.stdout) as Log;
  });
  afterAll(() => removeDir(dir));

  it("carries results, rules and input errors", () => {
    const [theRun] = sarif.runs;
    expect(theRun?.tool.driver.rules?.map((r) => r.id)).toEqual([
      "suppression-reason-required",
      "suppression-unused",
    ]);
    expect(theRun?.results?.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ["suppression-reason-required", 0, "warning"],
      ["suppression-unused", 1, "note"],
    ]);
    const location = theRun?.results?.[0]?.locations?.[0]?.physicalLocation;
    expect(location?.artifactLocation).toEqual({
      uri: relative(process.cwd(), join(dir, "suppressions.yaml")),
      uriBaseId: "%SRCROOT%",
    });
    expect(location?.region).toEqual({ startLine: 8, startColumn: 5 });
    const invocation = theRun?.invocations?.[0];
    expect(invocation?.executionSuccessful).toBe(false);
    expect(invocation?.toolExecutionNotifications?.[0]).toMatchObject({
      level: "error",
      message: { text: expect.stringMatching(/invalid YAML/) },
      locations: [{ physicalLocation: { artifactLocation: { uri: `file://${join(dir, "broken.yaml")}` } } }],
    });
  });

  it("validates against the official SARIF 2.1.0 JSON schema", () => {
    const schema = JSON.parse(readFileSync(multitool().schema, "utf8"));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // The schema is not vacuous: a log without runs is refused.
    expect(validate({ version: "2.1.0" })).toBe(false);
  });

  it("passes Microsoft's SARIF multitool validator", async () => {
    const { validation, problems } = await multitoolProblems(sarif, dir, "shipshape");
    expect(problems).toEqual([]);
    expect(validation.runs[0]?.invocations?.[0]?.executionSuccessful).toBe(true);
    // The validator really ran over the log: it reports the stripped $schema.
    expect(validation.runs[0]?.results?.map((r) => r.ruleId)).toContain("SARIF2008");
  });
});
