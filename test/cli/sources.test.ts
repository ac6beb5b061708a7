import { closeSync, ftruncateSync, mkdirSync, openSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectFormat, loadFile, readSourceText } from "../../src/sources/load";
import { walkPaths } from "../../src/sources/walk";
import { fixtureDir, removeDir } from "./helpers";

describe("walkPaths", () => {
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir([]);
    const files = [
      "k8s/deploy.yaml",
      "k8s/svc.yml",
      "k8s/list.json",
      "k8s/README.md",
      "docker/Dockerfile",
      "docker/Dockerfile.prod",
      "docker/api.dockerfile",
      "docker/compose.yaml",
      "docker/daemon.json",
      "docker/script.sh",
      "node_modules/dep/deploy.yaml",
      ".git/config.yaml",
      "notes.txt",
    ];
    for (const f of files) {
      mkdirSync(join(dir, f, ".."), { recursive: true });
      writeFileSync(join(dir, f), "x: 1\n");
    }
    symlinkSync(dir, join(dir, "k8s", "loop"));
  });
  afterAll(() => removeDir(dir));

  it("walks directories in name order for YAML, JSON and Dockerfiles, skipping node_modules, .git and link loops", () => {
    const { files, errors } = walkPaths([dir]);
    expect(errors).toEqual([]);
    expect(files.map((f) => relative(dir, f.file))).toEqual([
      "docker/Dockerfile",
      "docker/Dockerfile.prod",
      "docker/api.dockerfile",
      "docker/compose.yaml",
      "docker/daemon.json",
      "k8s/deploy.yaml",
      "k8s/list.json",
      "k8s/svc.yml",
    ]);
    expect(files.every((f) => !f.explicit)).toBe(true);
  });

  it("takes a named file whatever its name, once, and reports missing paths", () => {
    const notes = join(dir, "notes.txt");
    const { files, errors } = walkPaths([notes, notes, join(dir, "missing.yaml")]);
    expect(files).toEqual([{ file: notes, explicit: true }]);
    expect(errors).toEqual([
      { file: join(dir, "missing.yaml"), message: "no such file or directory", line: 1, column: 1 },
    ]);
  });
});

describe("detectFormat", () => {
  it("tells formats apart by name and content", () => {
    expect(detectFormat("a/deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n")).toBe("kubernetes");
    expect(detectFormat("a/list.json", '{"kind":"List","apiVersion":"v1","items":[]}')).toBe("kubernetes");
    expect(detectFormat("compose.yaml", "services:\n  web:\n    image: nginx\n")).toBe("compose");
    expect(detectFormat("stack.yml", "name: shop\nservices:\n  db: {}\n")).toBe("compose");
    expect(detectFormat("x/Dockerfile", "FROM alpine\n")).toBe("dockerfile");
    expect(detectFormat("Dockerfile.prod", "")).toBe("dockerfile");
    expect(detectFormat("api.dockerfile", "")).toBe("dockerfile");
    expect(detectFormat("/etc/docker/daemon.json", '{"icc": false}')).toBe("daemon-json");
    expect(detectFormat("build-recipe", "# syntax=docker/dockerfile:1\nARG BASE=alpine\nFROM $BASE\n")).toBe(
      "dockerfile",
    );
    // A ConfigMap embedding a compose file is still Kubernetes; indented `services:` is not top-level.
    expect(
      detectFormat("cm.yaml", "apiVersion: v1\nkind: ConfigMap\ndata:\n  compose: |\n    services:\n"),
    ).toBe("kubernetes");
    expect(detectFormat(".github/workflows/ci.yaml", "on: push\njobs: {}\n")).toBeUndefined();
    expect(detectFormat("package.json", '{"name":"x"}')).toBeUndefined();
  });
});

describe("loadFile", () => {
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir([]);
  });
  afterAll(() => removeDir(dir));

  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it("skips files found in directories that are not a format it reads, but not broken YAML", () => {
    const workflow = write("workflow.yaml", "on: push\njobs: {}\n");
    const pkg = write("package.json", "{ // comments are not JSON\n}");
    const broken = write("broken.yaml", "a: [1, 2\nb: c\n");
    expect(loadFile({ file: workflow, explicit: false })).toMatchObject({ skipped: true, errors: [] });
    expect(loadFile({ file: pkg, explicit: false })).toMatchObject({ skipped: true, errors: [] });
    expect(loadFile({ file: broken, explicit: false })).toMatchObject({
      skipped: false,
      errors: [{ file: broken, message: expect.stringMatching(/invalid YAML/), line: 2 }],
    });
  });

  it("reports a named file that is not Kubernetes with what is missing", () => {
    const workflow = write("named.yaml", "on: push\njobs: {}\n");
    const loaded = loadFile({ file: workflow, explicit: true });
    expect(loaded.source?.errors).toEqual([
      expect.objectContaining({ file: workflow, message: expect.stringMatching(/missing kind/), line: 1 }),
    ]);
  });

  it("refuses invalid UTF-8 and strips a byte order mark", () => {
    const latin1 = join(dir, "latin1.yaml");
    writeFileSync(latin1, Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    expect(readSourceText(latin1)).toEqual({
      error: { file: latin1, message: expect.stringMatching(/not UTF-8/), line: 1, column: 1 },
    });
    const bom = write("bom.yaml", "\ufeffapiVersion: v1\n");
    expect(readSourceText(bom)).toMatchObject({ text: "apiVersion: v1\n", identity: { size: 18 } });
  });

  it("keeps a file's text and its fixes only when reading for fixing, with the same findings' places", () => {
    const pod = write(
      "pod.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: x\n      securityContext:\n        privileged: true\n",
    );
    const forFixing = loadFile({ file: pod, explicit: true });
    const reportOnly = loadFile({ file: pod, explicit: true }, { forFixing: false });
    expect(forFixing.text).toBeDefined();
    expect(forFixing.source?.applyFixes).toBeTypeOf("function");
    expect(reportOnly.text).toBeUndefined();
    expect(reportOnly.source?.applyFixes).toBeUndefined();
    const where = (loaded: typeof forFixing) => {
      const origin = loaded.source?.resources[0]?.origin;
      return origin?.resolve?.("containers.0.securityContext.privileged");
    };
    expect(where(reportOnly)).toEqual({ file: pod, line: 10, column: 9 });
    expect(where(forFixing)).toEqual(where(reportOnly));
  });

  it("refuses an oversized file by its size before reading it", () => {
    // 64 GiB, sparse: more than this machine's memory, so reading it first could not succeed.
    const huge = join(dir, "huge.yaml");
    const fd = openSync(huge, "w");
    ftruncateSync(fd, 64 * 1024 ** 3);
    closeSync(fd);
    expect(readSourceText(huge)).toEqual({
      error: {
        file: huge,
        message: expect.stringMatching(/^file is 65536\.0 MiB; shipshape reads files up to 10 MiB/),
        line: 1,
        column: 1,
      },
    });
  });
});

describe("walkPaths with programs: a Pulumi program directory's own files", () => {
  let dir: string;
  beforeAll(() => {
    dir = fixtureDir([]);
    const program = join(dir, "infra");
    mkdirSync(join(program, "k8s"), { recursive: true });
    mkdirSync(join(program, "node_modules", "dep"), { recursive: true });
    writeFileSync(join(program, "Pulumi.yaml"), "name: infra\nruntime:\n  name: nodejs\n");
    for (const name of ["Pulumi.dev.yaml", "package.json", "package-lock.json", "tsconfig.json", "index.ts"])
      writeFileSync(join(program, name), "{}\n");
    writeFileSync(join(program, "Dockerfile"), "FROM scratch\n");
    writeFileSync(join(program, "k8s", "package.json"), "{}\n");
    writeFileSync(join(program, "node_modules", "dep", "compose.yaml"), "services: {}\n");
    const python = join(dir, "py");
    mkdirSync(python);
    writeFileSync(join(python, "Pulumi.yaml"), "name: py\nruntime: python\n");
  });
  afterAll(() => removeDir(dir));

  it("names the nodejs program, leaves its project files to its check, and walks the rest", () => {
    const walked = walkPaths([dir], { programs: true });
    expect(walked.programs).toEqual([join(dir, "infra")]);
    expect(walked.files.map((f) => relative(dir, f.file))).toEqual([
      "infra/Dockerfile",
      // Only the program directory's own project files are its; a subdirectory's are walked.
      "infra/k8s/package.json",
      // Another runtime is not a program shipshape runs: its Pulumi.yaml is walked as any YAML.
      "py/Pulumi.yaml",
    ]);
  });

  it("walks a program directory as any other without the option", () => {
    const walked = walkPaths([join(dir, "infra")]);
    expect(walked.programs).toEqual([]);
    expect(walked.files.map((f) => relative(dir, f.file))).toContain("infra/Pulumi.yaml");
  });
});
