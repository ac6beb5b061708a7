/**
 * Every Kubernetes object is audited, reported as invalid with its position, or counted as not
 * audited: Lists with bad items, malformed fields, custom resources, and the kinds that embed a
 * pod template. Fixture lines carry their outcome: `# expect: <rule>` (a finding),
 * `# error` (an input error), `# strict-error` (an error with --strict-kinds only),
 * `# declared: <rule>` (a finding once the kind is declared with --workload-kind).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseWorkloadKind, type WorkloadKind } from "../../src/adapters/kubernetes";
import { audit } from "../../src/engine/audit";
import { summarize, summaryLine } from "../../src/report/report";
import { loadKubernetesFile } from "../../src/sources/kubernetes-file";
import type { LoadOptions } from "../../src/sources/source-file";

const DIR = join(__dirname, "../fixtures/kubernetes/input");

function load(name: string, options: LoadOptions = {}) {
  const file = join(DIR, name);
  const text = readFileSync(file, "utf8");
  return { text, loaded: loadKubernetesFile(file, text, options) };
}

/** Lines carrying `# <marker>` (optionally `# <marker>: <rule>`), as `line` or `line rule`. */
function marked(text: string, marker: string): string[] {
  return text.split("\n").flatMap((line, i) => {
    if (line.trimStart().startsWith("#")) return [];
    const m = new RegExp(`# ${marker}(?:: ([a-z-]+))?$`).exec(line);
    if (!m) return [];
    return [m[1] ? `${i + 1} ${m[1]}` : `${i + 1}`];
  });
}

function findingLines(resources: Parameters<typeof audit>[0], rules: string[]): string[] {
  return audit(resources, { only: rules }).map((f) => `${f.line} ${f.ruleId}`);
}

describe("kind: List", () => {
  it("reports a null or scalar item as an error at its line and audits the other items", () => {
    const { text, loaded } = load("list-with-null.yaml");
    expect(loaded.errors.map((e) => `${e.line}`)).toEqual(marked(text, "error"));
    expect(loaded.errors[0]?.message).toBe(
      "item 0 of the list is not a Kubernetes object (expected a mapping with apiVersion and kind, got null)",
    );
    expect(loaded.resources.map((r) => r.name)).toEqual(["node-agent", "web"]);
    expect(findingLines(loaded.resources, ["privileged-container"])).toEqual(marked(text, "expect"));
  });
});

describe("malformed fields", () => {
  it("reports each malformed object at the offending field and audits the well-formed ones", () => {
    const { text, loaded } = load("malformed.yaml");
    expect(loaded.errors.map((e) => `${e.line}`)).toEqual(marked(text, "error"));
    expect(loaded.errors.map((e) => e.message)).toEqual([
      'Pod "spec-is-a-list" is invalid, not audited: spec: expected a mapping, got a list',
      'Deployment "uid-as-string" is invalid, not audited: spec.template.spec.containers[0].securityContext.runAsUser: expected an integer ≥ 0, got "1000"',
      'Pod "negative-uid" is invalid, not audited: spec.securityContext.runAsUser: expected an integer ≥ 0, got -1',
      'Job "containers-as-a-map" is invalid, not audited: spec.template.spec.containers: expected a list, got a mapping',
      'Pod "privileged-as-a-string" is invalid, not audited: spec.containers[0].securityContext.privileged: expected true or false, got "yes"',
      'Role "verbs-as-a-string" is invalid, not audited: rules[0].verbs: expected a list, got "get"',
    ]);
    expect(loaded.resources.map((r) => r.name)).toEqual(["well-formed"]);
    expect(findingLines(loaded.resources, ["privileged-container"])).toEqual(marked(text, "expect"));
  });

  it("names the count of further invalid fields of the same object", () => {
    const loaded = loadKubernetesFile(
      "two.yaml",
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: 1\n  hostIPC: 'no'\n  containers: []\n",
    );
    expect(loaded.errors).toEqual([
      {
        file: "two.yaml",
        line: 5,
        column: 3,
        message:
          'Pod "p" is invalid, not audited: spec.hostPID: expected true or false, got 1 (and 1 more invalid field)',
      },
    ]);
  });
});

describe("kinds no rule checks", () => {
  it("are counted and named, not errors, by default", () => {
    const { text, loaded } = load("custom-resources.yaml");
    expect(loaded.errors).toEqual([]);
    expect(loaded.notAudited).toEqual([
      { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor" },
      { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor" },
      { apiVersion: "kafka.strimzi.io/v1beta2", kind: "Kafka" },
      { apiVersion: "v1", kind: "ConfigMap" },
    ]);
    expect(findingLines(loaded.resources, ["privileged-container"])).toEqual(marked(text, "expect"));
    const summary = summarize({
      findings: [],
      errors: [],
      filesAudited: 1,
      filesSkipped: 0,
      profile: "default",
      minSeverity: "info",
      notAudited: loaded.notAudited ?? [],
    });
    expect(summary.notAudited).toEqual({
      objects: 4,
      kinds: { "monitoring.coreos.com/ServiceMonitor": 2, ConfigMap: 1, "kafka.strimzi.io/Kafka": 1 },
    });
    expect(summaryLine(summary)).toBe(
      "0 findings, 0 errors, 1 file audited; 4 objects of 3 kinds not audited (no rule checks them: monitoring.coreos.com/ServiceMonitor 2, ConfigMap 1, kafka.strimzi.io/Kafka 1)",
    );
  });

  it("are errors at their kind with --strict-kinds, except built-in kinds without checks", () => {
    const { text, loaded } = load("custom-resources.yaml", { strictKinds: true });
    expect(loaded.errors.map((e) => `${e.line}`)).toEqual(marked(text, "strict-error"));
    expect(loaded.errors[2]?.message).toMatch(
      /^kind "Kafka" \(apiVersion kafka\.strimzi\.io\/v1beta2\) is not audited/,
    );
    expect(loaded.notAudited).toEqual([{ apiVersion: "v1", kind: "ConfigMap" }]);
    expect(findingLines(loaded.resources, ["privileged-container"])).toEqual(marked(text, "expect"));
  });

  it("a built-in kind under the wrong built-in group is an error", () => {
    const { text, loaded } = load("wrong-group.yaml");
    expect(loaded.errors.map((e) => `${e.line}`)).toEqual(marked(text, "error"));
    expect(loaded.errors[0]?.message).toBe(
      "Deployment is not served by apiVersion v1; use apps/… or extensions/…",
    );
  });
});

describe("kinds that embed a pod template", () => {
  const declared = ["argoproj.io/Rollout=spec.template", "serving.knative.dev/Service=spec.template"].map(
    (d) => parseWorkloadKind(d) as WorkloadKind,
  );
  const rules = ["privileged-container", "host-namespaces"];

  it("audits DeploymentConfig and counts undeclared kinds (a Knative Service is no core Service)", () => {
    const { text, loaded } = load("workload-kinds.yaml");
    expect(loaded.errors).toEqual([]);
    expect(loaded.resources.map((r) => `${r.kind} ${r.name}`)).toEqual(["workload legacy"]);
    expect(loaded.notAudited?.map((n) => n.kind)).toEqual(["Rollout", "Service"]);
    expect(findingLines(loaded.resources, rules)).toEqual(marked(text, "expect"));
  });

  it("audits declared kinds at their pod template, with Kubernetes-only rules too", () => {
    const { text, loaded } = load("workload-kinds.yaml", { workloadKinds: declared });
    expect(loaded.errors).toEqual([]);
    expect(loaded.notAudited).toEqual([]);
    expect(findingLines(loaded.resources, rules)).toEqual(
      [...marked(text, "expect"), ...marked(text, "declared")].sort(
        (a, b) => parseInt(a, 10) - parseInt(b, 10),
      ),
    );
    // A declared kind is a Kubernetes workload: namespace-, probe- and account-rules apply.
    const canary = audit(loaded.resources, { only: ["liveness-probe"] }).map((f) => f.object);
    expect(canary).toContain("Rollout shop/canary");
  });

  it("refuses a declaration that is not <group>/<Kind>=<path>", () => {
    expect(parseWorkloadKind("argoproj.io/Rollout")).toMatch(/is not <group>\/<Kind>=<path>/);
    expect(parseWorkloadKind("Rollout=spec.template")).toEqual({
      group: "",
      kind: "Rollout",
      template: ["spec", "template"],
    });
  });
});
