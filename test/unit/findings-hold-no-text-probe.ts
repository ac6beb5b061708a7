/**
 * Run by `findings-hold-no-text.test.ts`: audits N files (argv) whose texts carry a marker file
 * by file, as `shipshape audit` does, keeps the findings, and prints how many strings of the
 * heap still hold a file's text.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getHeapSnapshot } from "node:v8";
import { auditPathsParallel } from "../../src/audit/parallel-audit";

const MARKER = "# file-text-marker-";
const files = Number(process.argv[2]);
const dir = mkdtempSync(join(tmpdir(), "shipshape-text-"));
for (let i = 0; i < files; i++) {
  // Names longer than V8's shortest slice (13 characters), so that the parsed names are slices.
  const name = `payments-service-number-${i}`;
  writeFileSync(
    join(dir, `app-${i}.yaml`),
    [
      `${MARKER}${i}`,
      "apiVersion: apps/v1",
      "kind: Deployment",
      `metadata: {name: ${name}, namespace: team-namespace-${i}}`,
      "spec:",
      "  template:",
      "    spec:",
      `      containers: [{name: ${name}-container, image: registry.example/${name}:latest}]`,
      "",
    ].join("\n"),
  );
}
const options = { forFixing: false, programs: false };
const run = auditPathsParallel([dir], options, 1);

let json = "";
const snapshot = getHeapSnapshot();
snapshot.setEncoding("utf8");
snapshot.on("data", (chunk: string) => {
  json += chunk;
});
snapshot.on("end", () => {
  const strings = (JSON.parse(json) as { strings: string[] }).strings;
  const texts = strings.filter((s) => s.startsWith(MARKER)).length;
  process.stdout.write(JSON.stringify({ findings: run.findings.length, texts }));
});
