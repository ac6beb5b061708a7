/**
 * Run by `young-origin-functions.test.ts` under `--allow-natives-syntax`: loads one file of each
 * format and two Pulumi resources, and prints, for every function an object or its origin
 * carries, whether V8 allocated it in the young generation.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromPulumiResource } from "../../src/adapters/pulumi";
import type { Resource } from "../../src/model";
import { loadFile } from "../../src/sources/load";

// `%InYoungGeneration` is V8 syntax, not TypeScript: it is compiled at run time.
const inYoungGeneration = new Function("f", "return %InYoungGeneration(f)") as (f: unknown) => boolean;

const dir = mkdtempSync(join(tmpdir(), "shipshape-young-"));
const files: Record<string, string> = {
  "app.yaml": [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata: {name: web}",
    "spec:",
    "  template:",
    "    spec:",
    "      containers: [{name: web, image: nginx:1}]",
    "---",
    "apiVersion: v1",
    "kind: List",
    "items:",
    "  - {apiVersion: v1, kind: Service, metadata: {name: web}, spec: {selector: {app: web}}}",
    "",
  ].join("\n"),
  "compose.yaml": [
    "services:",
    "  web:",
    "    image: nginx:1",
    "networks:",
    "  front: {}",
    "volumes:",
    "  data: {}",
    "",
  ].join("\n"),
  Dockerfile: "FROM debian:12\nRUN true\n",
  "daemon.json": '{"icc": true}\n',
};

interface Seen {
  where: string;
  name: string;
  young: boolean;
}
const seen: Seen[] = [];
function record(where: string, holder: object | undefined): void {
  if (!holder) return;
  for (const [name, value] of Object.entries(holder)) {
    if (typeof value === "function") seen.push({ where, name, young: inYoungGeneration(value) });
  }
}
function recordResource(where: string, r: Resource): void {
  record(`${where} ${r.kind}`, r);
  record(`${where} ${r.kind} origin`, r.origin);
}

for (const [name, text] of Object.entries(files)) {
  const file = join(dir, name);
  writeFileSync(file, text);
  const loaded = loadFile({ file, explicit: true });
  if (!loaded.source) throw new Error(`${name}: ${JSON.stringify(loaded.errors)}`);
  record(name, loaded.source);
  for (const r of loaded.source.resources) recordResource(name, r);
}
const pulumi = [
  fromPulumiResource({
    type: "docker:index/container:Container",
    name: "web",
    urn: "urn:pulumi:dev::p::docker:index/container:Container::web",
    props: { image: "nginx:1" },
  }),
  fromPulumiResource({
    type: "kubernetes:apps/v1:Deployment",
    name: "web",
    urn: "urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::web",
    props: { spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1" }] } } } },
  }),
];
for (const r of pulumi) if (r) recordResource("pulumi", r);
process.stdout.write(JSON.stringify(seen));
