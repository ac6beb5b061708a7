/**
 * A plain Compose file takes the fast YAML read (js-yaml's values and positions; the `yaml`
 * Document only when a fix edits the file). It must change nothing: the same findings, at the
 * same lines and columns, with the same messages, as the full read, on the project's fixtures,
 * the benchmark corpus and files written to hit the path lookups (KEY=value lists,
 * security_opt entries, numeric and quoted keys, flow collections, empty values).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { composeCorpus } from "../../bench/corpus/compose";
import { readComposeFile } from "../../src/adapters/compose";
import { parseComposeYaml } from "../../src/adapters/compose/parse";
import { audit } from "../../src/engine/audit";
import { loadComposeFile } from "../../src/sources/compose-file";

const ROOT = join(__dirname, "..", "..");

function composeFixtures(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) composeFixtures(path, out);
    else if (/(^|[-.])compose[^/]*\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

const HAND_WRITTEN: Record<string, string> = {
  "lists.yaml": `services:
  web:
    image: shop/web:1
    environment:
      - API_TOKEN=abc
      - MODE=prod
    labels: ["a=1", "shipshape.io/suppress.pids-limit=reviewed"]
    security_opt:
      - label=disable
      - "seccomp:unconfined"
      - apparmor=unconfined
    ports: ["8080:80", { target: 443, published: 8443 }]
    cap_add: [SYS_ADMIN, NET_ADMIN]
    privileged: true
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
      - type: bind
        source: /etc
        target: /host-etc
  "8080":
    image: "numeric:latest"
    user: "0"
    network_mode: host
    pid: host
  'quoted name':
    image: >-
      folded/image:2
    command: |
      sh -c 'run'
    read_only: false
    mem_limit:
    healthcheck: {test: ["CMD", "true"], interval: 10s}
networks:
  front: {}
  back:
    internal: true
volumes:
  data:
secrets:
  token:
    file: ./token.txt
`,
  "env-map.yaml": `services:
  db:
    image: postgres@sha256:${"a".repeat(64)}
    environment:
      POSTGRES_PASSWORD: hunter2
      EMPTY:
    deploy:
      resources:
        limits: {cpus: "0.5", memory: 256M, pids: 64}
    ulimits:
      nofile: {soft: 1024, hard: 2048}
`,
};

function findingsOf(file: string, text: string, fastRead: boolean): string[] {
  const read = readComposeFile(file, text, { fastRead, readFile: (p) => readFileSync(p, "utf8") });
  const errors = read.errors.map((e) => `error ${e.line}:${e.column} ${e.message}`);
  const found = audit(read.resources).map(
    (f) => `${f.ruleId} ${f.severity} ${f.file}:${f.line}:${f.column} ${f.object} ${f.message}`,
  );
  return [...errors, ...found].sort();
}

describe("the fast read of Compose files", () => {
  const cases: [string, string][] = [
    ...composeFixtures(join(ROOT, "test", "fixtures")).map(
      (f) => [f, readFileSync(f, "utf8")] as [string, string],
    ),
    ...Array.from({ length: 150 }, (_, i) => {
      const c = composeCorpus.generate(i);
      return [c.path, c.text] as [string, string];
    }),
    ...Object.entries(HAND_WRITTEN),
  ];

  it("takes the fast read on plain files and the full read on anchors, merges and suppressions", () => {
    expect(parseComposeYaml("a.yaml", HAND_WRITTEN["lists.yaml"] as string).fast).toBeDefined();
    const anchored = "x-base: &base\n  read_only: true\nservices:\n  a:\n    <<: *base\n    image: a\n";
    expect(parseComposeYaml("b.yaml", anchored).fast).toBeUndefined();
    expect(
      parseComposeYaml("c.yaml", "services:\n  a:\n    image: a # shipshape:ignore pids-limit why\n").fast,
    ).toBeUndefined();
    expect(
      parseComposeYaml("d.yaml", HAND_WRITTEN["lists.yaml"] as string, { fast: false }).fast,
    ).toBeUndefined();
  });

  it("finds the same findings at the same positions as the full read", () => {
    let fastFiles = 0;
    let total = 0;
    for (const [file, text] of cases) {
      const fast = findingsOf(file, text, true);
      const full = findingsOf(file, text, false);
      expect(fast, relative(ROOT, file)).toEqual(full);
      total += full.length;
      if (parseComposeYaml(file, text).fast) fastFiles++;
    }
    // The comparison means something only if most files took the fast read and had findings.
    expect(fastFiles).toBeGreaterThan(cases.length * 0.8);
    expect(total).toBeGreaterThan(500);
  });

  it("builds the YAML document for a fix, and the fix edits the file as before", () => {
    const text = HAND_WRITTEN["env-map.yaml"] as string;
    const loaded = loadComposeFile("compose.yaml", text);
    const findings = audit(loaded.resources).filter((f) => f.fix);
    expect(findings.length).toBeGreaterThan(0);
    const fixed = loaded.applyFixes?.(findings, 0);
    expect(fixed).toContain("read_only: true");
    expect(fixed).toContain("POSTGRES_PASSWORD: hunter2");
  });
});
