/**
 * `shipshape audit --kubernetes` against a real API server: the live objects read with
 * @kubernetes/client-node go through the YAML adapter and the same rules as files. A hardened
 * SecureService rendering applied for real audits clean; a raw Deployment, a wildcard Role and a
 * token-mounting ServiceAccount applied beside it are reported, with their PSS references; the
 * formats, the exit codes and the --context / --namespace options behave as for files.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { runCli } from "../../src/cli/program";
import { RenderTarget, renderServices } from "../../src/render/render";
import { collectionPath, describeKubernetes, TestCluster } from "./cluster";

const CLEAN = "audit-clean";
const DIRTY = "audit-dirty";
/** The findings of a live namespace that holds one SecureService (rule id, object). */
const FRESH_NAMESPACE = [
  `namespace-default-deny kubernetes://shipshape/_cluster/Namespace/${CLEAN}`,
  `default-service-account kubernetes://shipshape/${CLEAN}/ServiceAccount/default`,
];

function cli(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  const code = runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

interface JsonFinding {
  ruleId: string;
  severity: string;
  file: string;
  object: string;
  message: string;
  references: { pss?: string[] };
}

describeKubernetes("shipshape audit --kubernetes on a real API server", () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start("audit");
    await cluster.createNamespace(CLEAN);
    await cluster.createNamespace(DIRTY, "privileged");
    // A hardened service, applied for real (its Deployment's Pods are created and admitted).
    const { files } = renderServices(
      [
        {
          name: "api",
          args: {
            kubernetes: { namespace: CLEAN },
            image: `registry.example.com/shop/api@sha256:${"a".repeat(64)}`,
            ports: [{ containerPort: 8080 }],
            healthCheck: { httpGetPath: "/healthz" },
          },
        },
      ],
      RenderTarget.Kubernetes,
    );
    const rendered = files.find((f) => f.path === "kubernetes.yaml")?.content ?? "";
    for (const doc of parseAllDocuments(rendered)) {
      const o = doc.toJS() as { apiVersion: string; kind: string; metadata: { namespace?: string } } | null;
      if (!o || o.kind === "Namespace") continue;
      o.metadata.namespace = CLEAN;
      await cluster.apiOk("POST", collectionPath(o, CLEAN), o);
    }
    // What an unhardened team applies (in a namespace that admits it).
    await cluster.apiOk("POST", `/apis/apps/v1/namespaces/${DIRTY}/deployments`, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "raw", namespace: DIRTY },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "raw" } },
        template: {
          metadata: { labels: { app: "raw" } },
          spec: {
            hostNetwork: true,
            containers: [
              {
                name: "raw",
                image: "nginx:latest",
                securityContext: { runAsUser: 0, capabilities: { add: ["SYS_ADMIN"] } },
              },
            ],
          },
        },
      },
    });
    await cluster.apiOk("POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${DIRTY}/roles`, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: { name: "everything", namespace: DIRTY },
      rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
    });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it("a SecureService's live objects audit clean; the namespace itself has what a fresh one has; its Pods were admitted", async () => {
    const r = cli(
      "audit",
      "--kubernetes",
      "--kubeconfig",
      cluster.kubeconfig,
      "--namespace",
      CLEAN,
      "-f",
      "json",
    );
    const report = JSON.parse(r.stdout) as { findings: JsonFinding[]; summary: { filesAudited: number } };
    // The service's own objects (Deployment, Service, ServiceAccount, NetworkPolicy): nothing.
    expect(report.findings.filter((f) => !FRESH_NAMESPACE.includes(`${f.ruleId} ${f.file}`))).toEqual([]);
    // What the live namespace adds that no rendering has: no namespace-wide default deny (a lone
    // SecureService's NetworkPolicy covers its own pods), and the "default" ServiceAccount the
    // controller manager creates, which lets its token be mounted.
    expect(report.findings.map((f) => `${f.ruleId} ${f.file}`).sort()).toEqual([...FRESH_NAMESPACE].sort());
    expect(r.code).toBe(1);
    // Without those two rules the namespace audits clean (exit 0).
    const medium = cli(
      "audit",
      "--kubernetes",
      "--kubeconfig",
      cluster.kubeconfig,
      "--namespace",
      CLEAN,
      "--skip-rule",
      "namespace-default-deny,default-service-account",
    );
    expect(medium.code).toBe(0);
    // The Namespace, the ServiceAccount, the NetworkPolicy, the Service and the Deployment (not its ReplicaSet or Pods).
    expect(report.summary.filesAudited).toBeGreaterThanOrEqual(4);
    // The ReplicaSet controller created the Pods and PodSecurity admitted them under restricted.
    let pods: unknown[] = [];
    const deadline = Date.now() + 60_000;
    while (pods.length === 0 && Date.now() < deadline) {
      pods = ((await cluster.apiOk("GET", `/api/v1/namespaces/${CLEAN}/pods`)).body.items ?? []) as unknown[];
      if (pods.length === 0) await new Promise((res) => setTimeout(res, 500));
    }
    expect(pods.length).toBeGreaterThan(0);
  });

  it("the raw Deployment and the wildcard Role are reported with their PSS references (exit 1)", () => {
    const r = cli("audit", "--kubernetes", "--kubeconfig", cluster.kubeconfig, "-f", "json");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: JsonFinding[]; errors: unknown[] };
    expect(report.errors).toEqual([]);
    const raw = report.findings.filter((f) => f.file === `kubernetes://shipshape/${DIRTY}/Deployment/raw`);
    const rules = raw.map((f) => f.ruleId);
    expect(rules).toEqual(
      expect.arrayContaining(["capabilities-baseline", "host-namespaces", "run-as-root-uid"]),
    );
    const pss = new Set(raw.flatMap((f) => f.references.pss ?? []));
    expect(pss.size).toBeGreaterThanOrEqual(3);
    const role = report.findings.filter((f) => f.file === `kubernetes://shipshape/${DIRTY}/Role/everything`);
    expect(role.length).toBeGreaterThan(0);
    // Nothing of the clean namespace, nothing of kube-system, no bootstrapped ClusterRole.
    expect(
      report.findings.filter(
        (f) => f.file.includes(`/${CLEAN}/`) && !FRESH_NAMESPACE.includes(`${f.ruleId} ${f.file}`),
      ),
    ).toEqual([]);
    expect(report.findings.filter((f) => /kube-system|system:/.test(f.file))).toEqual([]);
    expect(r.stderr).toMatch(/note: .*bootstraps/);
  });

  it("speaks every format: text names the objects, SARIF parses", () => {
    const text = cli("audit", "--kubernetes", "--kubeconfig", cluster.kubeconfig, "--namespace", DIRTY);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`kubernetes://shipshape/${DIRTY}/Deployment/raw`);
    const sarif = cli(
      "audit",
      "--kubernetes",
      "--kubeconfig",
      cluster.kubeconfig,
      "--namespace",
      DIRTY,
      "-f",
      "sarif",
    );
    expect(sarif.code).toBe(1);
    const doc = JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] };
    expect(doc.runs[0]?.results.length).toBeGreaterThan(0);
  });

  it("a missing context, an unreachable server and a missing kubeconfig are exit 2 with the reason", () => {
    const ctx = cli("audit", "--kubernetes", "--kubeconfig", cluster.kubeconfig, "--context", "nope");
    expect(ctx.code).toBe(2);
    expect(ctx.stderr).toContain('no context named "nope"');
    expect(ctx.stderr).toContain('"shipshape"');
    const dead = join(cluster.dir, "dead.kubeconfig");
    writeFileSync(
      dead,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: dead, cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}}]",
        "users: [{name: u, user: {token: not-a-real-token}}]",
        "contexts: [{name: dead, context: {cluster: dead, user: u}}]",
        "current-context: dead",
        "",
      ].join("\n"),
    );
    const unreachable = cli("audit", "--kubernetes", "--kubeconfig", dead, "--timeout", "10");
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain("https://127.0.0.1:1");
    expect(unreachable.stderr).not.toContain("not-a-real-token");
    const missing = cli("audit", "--kubernetes", "--kubeconfig", join(cluster.dir, "absent"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("kubeconfig cannot be read");
    expect(cli("audit", "--namespace", "x", "somefile.yaml").stderr).toContain("go with --kubernetes");
  });
});
