import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { audit } from "../../../src/engine/audit";
import type { Finding } from "../../../src/engine/finding";
import { pssRules } from "../../../src/rules/pss";
import { loadKubernetesFile } from "../../../src/sources/kubernetes-file";

const FILE = join(__dirname, "../../fixtures/kubernetes/pss/fixes/deployment.yaml");
const FIXABLE = pssRules.filter((r) => r.fixable).map((r) => r.id);

function restrictedAudit(text: string): { findings: Finding[]; fix: (f: Finding[]) => string | undefined } {
  const file = loadKubernetesFile(FILE, text);
  expect(file.errors).toEqual([]);
  const findings = audit(file.resources, { profile: "restricted" });
  return { findings, fix: (f) => file.applyFixes?.(f, 0) };
}

const key = (f: Finding) => `${f.object}|${f.ruleId}|${f.message}`;

describe("PSS automatic fixes", () => {
  it("are offered by exactly the rules with a safe fix", () => {
    expect(FIXABLE.sort()).toEqual([
      "drop-all-capabilities",
      "privilege-escalation",
      "privileged-container",
      "probe-host",
      "run-as-non-root",
      "seccomp-profile-required",
    ]);
  });

  it("remove the findings they fix, keep comments, and leave valid YAML", () => {
    const original = readFileSync(FILE, "utf8");
    const first = restrictedAudit(original);
    const fixable = first.findings.filter((f) => f.fix);
    expect(new Set(fixable.map((f) => f.ruleId))).toEqual(new Set(FIXABLE));

    const fixed = first.fix(first.findings);
    expect(fixed).toBeDefined();
    const text = fixed ?? "";
    expect(text).toContain("# Fix round trip: every fixable PSS problem at once; this comment must survive.");
    expect(text).toContain("# keep this comment too");
    const docs = parseAllDocuments(text);
    expect(docs).toHaveLength(2);
    for (const d of docs) expect(d.errors).toEqual([]);

    const second = restrictedAudit(text);
    const remaining = new Set(second.findings.map(key));
    expect(fixable.map(key).filter((k) => remaining.has(k))).toEqual([]);

    // The escalation of the formerly privileged container gets its fix once privileged is off.
    const third = restrictedAudit(second.fix(second.findings) ?? text);
    expect(third.findings.filter((f) => FIXABLE.includes(f.ruleId))).toEqual([]);
  });

  it("set the pod-level defaults and the container fields in the source", () => {
    const first = restrictedAudit(readFileSync(FILE, "utf8"));
    const once = first.fix(first.findings) ?? "";
    const text = restrictedAudit(once).fix(restrictedAudit(once).findings) ?? once;
    const [deployment, pod] = parseAllDocuments(text).map((d) => d.toJS());
    const spec = deployment.spec.template.spec;
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(spec.initContainers[0].securityContext).toEqual({
      capabilities: { drop: ["NET_RAW", "ALL"] },
      allowPrivilegeEscalation: false,
    });
    expect(spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(spec.containers[1].securityContext).toMatchObject({
      privileged: false,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(pod.spec.securityContext).toEqual({
      runAsUser: 1000,
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
  });

  it("leave explicit choices that are not safe to flip to a human", () => {
    const text = `apiVersion: v1
kind: Pod
metadata: { name: explicit }
spec:
  securityContext:
    runAsNonRoot: false
    seccompProfile: { type: Unconfined }
  containers:
    - name: app
      image: registry.example.com/shop/app:1.0
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: { drop: [ALL], add: [SYS_ADMIN] }
`;
    const file = loadKubernetesFile("explicit.yaml", text);
    const findings = audit(file.resources, { profile: "restricted" });
    expect(findings.map((f) => f.ruleId).sort()).toEqual([
      "capabilities-baseline",
      "drop-all-capabilities",
      "run-as-non-root",
      "seccomp-profile-required",
      "seccomp-unconfined",
    ]);
    expect(findings.filter((f) => f.fix)).toEqual([]);
    expect(file.applyFixes?.(findings, 0)).toBeUndefined();
  });
});
