import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtCliModules, ensureBuilt } from "./helpers";

/** The libraries an audit loads only for the files that need them. */
const YAML_LIBRARY = `${sep}node_modules${sep}yaml${sep}`;
const JS_YAML = `${sep}node_modules${sep}js-yaml${sep}`;
const DOCKERFILE_PARSER = `${sep}node_modules${sep}dockerfile-ast${sep}`;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: registry.example/web:1.4
          securityContext:
            privileged: true
`;

const COMPOSE = `services:
  api:
    image: registry.example/api:2.0
    privileged: true
`;

/** A `<<` merge: the fast read leaves it to the \`yaml\` library. */
const COMPOSE_WITH_MERGE = `x-base: &base
  image: registry.example/api:2.0
services:
  api:
    <<: *base
    privileged: true
`;

const DOCKERFILE = `FROM registry.example/base:1
RUN apt-get update
USER root
`;

describe("shipshape audit loads a parser only for the files that need it", () => {
  let dir: string;
  beforeAll(async () => {
    await ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "shipshape-audit-modules-"));
    const files: Record<string, string> = {
      "kubernetes/deployment.yaml": DEPLOYMENT,
      "compose/compose.yaml": COMPOSE,
      "merge/compose.yaml": COMPOSE_WITH_MERGE,
      "dockerfile/Dockerfile": DOCKERFILE,
    };
    for (const [name, text] of Object.entries(files)) {
      const path = join(dir, name);
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileSync(path, text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The modules an audit of `sub` loaded, after checking it found what it should. */
  async function modulesOf(sub: string, ruleId: string): Promise<string[]> {
    const r = await builtCliModules(dir, ["audit", "--format", "json", "--jobs", "1", join(dir, sub)]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string }[] };
    expect(report.findings.map((f) => f.ruleId)).toContain(ruleId);
    return r.modules;
  }

  const loads = (modules: string[], part: string) => modules.some((m) => m.includes(part));

  it("a plain Kubernetes manifest: js-yaml, not the yaml library nor the Dockerfile parser", async () => {
    const modules = await modulesOf("kubernetes", "privileged-container");
    expect(loads(modules, JS_YAML)).toBe(true);
    expect(loads(modules, YAML_LIBRARY)).toBe(false);
    expect(loads(modules, DOCKERFILE_PARSER)).toBe(false);
  });

  it("a plain Compose file takes the fast read; a `<<` merge loads the yaml library", async () => {
    const plain = await modulesOf("compose", "privileged-container");
    expect(loads(plain, JS_YAML)).toBe(true);
    expect(loads(plain, YAML_LIBRARY)).toBe(false);
    const merged = await modulesOf("merge", "privileged-container");
    expect(loads(merged, YAML_LIBRARY)).toBe(true);
  });

  it("Dockerfiles alone: the Dockerfile parser, and neither YAML library", async () => {
    const modules = await modulesOf("dockerfile", "dockerfile-non-root-user");
    expect(loads(modules, DOCKERFILE_PARSER)).toBe(true);
    expect(loads(modules, JS_YAML)).toBe(false);
    expect(loads(modules, YAML_LIBRARY)).toBe(false);
  });
});
