import { describe, expect, it } from "vitest";
import { summarize } from "../../src/report/report";
import { REPORTERS } from "../../src/report/reporters";
import { loadDockerfile } from "../../src/sources/dockerfile-file";

const SECRET = "hunter2-supersecret";

function errorsOf(text: string) {
  return loadDockerfile("Dockerfile", text).errors;
}

/** Defect 10 (secrets echoed by parse errors) and defect 13 (escape directive). */
describe("Dockerfile parse errors", () => {
  it("never echo the offending line, in any format, but still name its line", () => {
    for (const text of [
      `FROM alpine\nAPI_TOKEN=${SECRET}\n`,
      `FROM alpine\n${SECRET}\n`,
      `FROM alpine --build-arg TOKEN=${SECRET} extra\n`,
    ]) {
      const errors = errorsOf(text);
      expect(errors).toHaveLength(1);
      expect(errors[0]?.line).toBeGreaterThan(0);
      const report = {
        findings: [],
        errors,
        rules: [],
        files: ["Dockerfile"],
        summary: summarize({
          findings: [],
          errors,
          filesAudited: 1,
          filesSkipped: 0,
          profile: "default",
          minSeverity: "info",
        }),
      };
      for (const [format, reporter] of Object.entries(REPORTERS)) {
        expect(reporter(report).toLowerCase(), `${format}: ${text}`).not.toContain(SECRET);
      }
    }
  });

  it("still suggests the instruction a typo is close to", () => {
    expect(errorsOf("FROM alpine\nRUNN true\n")[0]).toMatchObject({
      line: 2,
      message: expect.stringContaining("did you mean RUN?"),
    });
  });

  it("refuse an escape directive other than \\ or `, as Docker's builder does", () => {
    expect(errorsOf("# escape=x\nFROM alpine\n")).toEqual([
      {
        file: "Dockerfile",
        line: 1,
        column: 10,
        message:
          "invalid escape directive: Docker accepts only `# escape=\\` (the default) or `# escape=``; fix or remove the directive",
      },
    ]);
    expect(errorsOf("# escape=`\nFROM alpine\n")).toEqual([]);
    expect(errorsOf("# escape=\\\nFROM alpine\n")).toEqual([]);
  });
});
