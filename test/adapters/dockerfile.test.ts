import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Build, effectiveUser, locate } from "../../src/model";
import { loadDockerfile } from "../../src/sources/dockerfile-file";

const FIXTURES = join(__dirname, "../fixtures/docker");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");

function build(text: string, file = "Dockerfile"): Build {
  const source = loadDockerfile(file, text);
  expect(source.errors).toEqual([]);
  expect(source.resources).toHaveLength(1);
  return source.resources[0] as Build;
}

describe("Dockerfile adapter", () => {
  const file = "multistage.Dockerfile";
  const b = build(fixture(file), file);

  it("keeps every instruction in order, ARGs before FROM included", () => {
    expect(b.kind).toBe("build");
    expect(b.instructions.map((i) => i.keyword)).toEqual([
      "ARG",
      "ARG",
      "FROM",
      "RUN",
      "COPY",
      "RUN",
      "USER",
      "FROM",
      "RUN",
      "FROM",
      "ENV",
      "LABEL",
      "COPY",
      "COPY",
      "HEALTHCHECK",
      "USER",
      "ENTRYPOINT",
      "CMD",
    ]);
  });

  it("forms stages: names, bases from global ARGs, stage-on-stage, bodies", () => {
    expect(b.stages).toHaveLength(3);
    const [first, second, last] = b.stages;
    expect(first).toMatchObject({ name: "build", baseIsStage: false, from: 2, body: [3, 4, 5, 6] });
    expect(first?.base).toMatchObject({ repository: "golang", tag: "1.23" });
    expect(second).toMatchObject({ name: "test", baseIsStage: true, baseStage: 0, body: [8] });
    expect(second?.base).toBeUndefined();
    expect(last?.name).toBeUndefined();
    expect(last?.base).toMatchObject({ repository: "alpine", tag: "3.20" });
  });

  it("joins continuations and reads flags, exec form and heredocs", () => {
    const run = b.instructions[3]!;
    expect(run.flags).toEqual({ mount: "type=cache,target=/root/.cache" });
    expect(run.text.replace(/\s+/g, " ")).toBe("go build -o /out/app ./cmd/app");
    expect(run.execForm).toBeUndefined();
    expect(b.instructions[4]!.flags).toEqual({ chown: "10001:10001", from: "deps" });
    const heredocRun = b.instructions[5]!;
    expect(heredocRun.text).toBe("<<EOF bash");
    expect(heredocRun.heredocs).toEqual(["set -eu\necho building\n"]);
    expect(b.instructions[8]!.execForm).toEqual(["go", "test", "./..."]);
    expect(b.instructions[13]!.heredocs).toEqual(["\tkey=value\n"]);
    expect(b.instructions[14]!.flags).toEqual({ interval: "30s" });
    expect(b.instructions[16]!.execForm).toEqual(["/app"]);
    // Shell form: no exec form even though the text starts with a dash.
    expect(b.instructions[17]).toMatchObject({ text: "--help" });
    expect(b.instructions[17]!.execForm).toBeUndefined();
  });

  it("reads ENV, ARG and LABEL assignments", () => {
    expect(b.instructions[0]!.properties).toEqual([{ name: "BASE_TAG", value: "3.20" }]);
    expect(b.instructions[10]!.properties).toEqual([
      { name: "APP_MODE", value: "prod" },
      { name: "LOG_LEVEL", value: "info" },
    ]);
    expect(b.labels).toEqual({ "org.opencontainers.image.title": "app" });
  });

  it("gives the effective USER per stage, inherited through FROM <stage>", () => {
    expect(effectiveUser(b)).toEqual({ user: "10001:10001", instruction: 15 });
    expect(effectiveUser(b, 1)).toEqual({ user: "builder", instruction: 6 });
    const noUser = build("FROM alpine:3.20\nRUN true\n");
    expect(effectiveUser(noUser)).toEqual({});
  });

  it("locates instructions, flags and stage bases", () => {
    expect(locate(b.origin, "instructions.3")).toMatchObject({ file, line: 6, column: 1 });
    expect(locate(b.origin, "instructions.3.flags.mount")).toMatchObject({ line: 6, column: 5 });
    expect(locate(b.origin, "instructions.4.flags.from")).toMatchObject({ line: 9, column: 26 });
    expect(locate(b.origin, "stages.2.base")).toMatchObject({ line: 17, column: 6 });
    expect(locate(b.origin, "stages.0.name")).toMatchObject({ line: 4, column: 20 });
    expect(locate(b.origin, "instructions.15")).toMatchObject({ line: 25, column: 1 });
    // An absent flag falls back to its instruction.
    expect(locate(b.origin, "instructions.15.flags.chown")).toMatchObject({ line: 25, column: 1 });
  });

  it("takes comment suppressions for the whole Dockerfile", () => {
    expect(b.suppressions).toEqual([
      {
        ruleIds: ["docker-no-add"],
        reason: "vendored tarball is checked by its own digest",
        form: "comment",
        path: "suppressions.0",
      },
    ]);
    expect(locate(b.origin, "suppressions.0")).toMatchObject({ line: 5, column: 1 });
  });

  it("honours the escape directive", () => {
    const text =
      "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  c:\\\nUSER ContainerUser\n";
    const w = build(text);
    expect(w.instructions[1]!.text.replace(/\s+/g, " ")).toBe("dir c:\\");
    expect(w.stages[0]?.base).toMatchObject({ registry: "mcr.microsoft.com", tag: "ltsc2022" });
  });

  it("marks FROM scratch as having no base image and keeps unresolved variables unparsed", () => {
    const w = build("FROM scratch\nCOPY app /\nFROM $" + "{UNSET}\n");
    expect(w.stages[0]?.base).toBeUndefined();
    expect(w.stages[1]?.base).toMatchObject({ raw: "$" + "{UNSET}", unparsed: true });
  });
});

describe("Dockerfile bad input", () => {
  const error = (text: string) => {
    const source = loadDockerfile("Dockerfile", text);
    expect(source.resources).toEqual([]);
    expect(source.errors).toHaveLength(1);
    return source.errors[0]!;
  };

  it("reports an unknown instruction at its line", () => {
    expect(error("FROM alpine\nRUN true\nFORM x\n")).toMatchObject({
      line: 3,
      column: 1,
      message: expect.stringContaining(
        "unknown instruction (its text is not shown, as it may hold a secret); did you mean FROM?",
      ),
    });
  });

  it("reports instructions before FROM, a FROM without image and an empty file", () => {
    expect(error("# hi\nRUN echo\nFROM alpine\n")).toMatchObject({
      line: 2,
      message: expect.stringContaining("before the first FROM"),
    });
    expect(error("FROM\n")).toMatchObject({
      line: 1,
      message: expect.stringContaining("FROM without an image"),
    });
    expect(error("FROM a b c d\n")).toMatchObject({ line: 1, message: expect.stringContaining("AS <name>") });
    expect(error("# only a comment\n\n")).toMatchObject({
      line: 1,
      message: expect.stringContaining("no instructions"),
    });
  });

  it("reports an unclosed heredoc at its start", () => {
    expect(error("FROM alpine\nRUN <<EOF\necho hi\n")).toMatchObject({
      line: 2,
      message: expect.stringContaining("<<EOF is never closed"),
    });
  });

  it("refuses binary and huge input", () => {
    expect(error("FROM alpine\n\u0000\u0001\u0002")).toMatchObject({
      line: 2,
      column: 1,
      message: expect.stringContaining("binary"),
    });
    const huge = `FROM alpine\n${"RUN true\n".repeat(1_300_000)}`;
    expect(error(huge)).toMatchObject({ line: 1, column: 1, message: expect.stringContaining("MiB") });
  });
});
