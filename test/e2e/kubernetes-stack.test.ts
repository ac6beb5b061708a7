/**
 * The Kubernetes reference stack (stacks/kubernetes) through the real Pulumi CLI, the
 * pulumi-resource-kubernetes plugin built from Go sources, and a real API server
 * (test/kubernetes/cluster.ts): previewed clean with the policy pack; `up` creates the services
 * in a namespace that enforces Pod Security `restricted`, where the ReplicaSet controller's Pods
 * are admitted; a second `up` changes nothing; `destroy` leaves nothing. The same program with one
 * raw Deployment is blocked by the pack at preview, and with the pack off its Pods are refused by
 * PodSecurity (the ReplicaSet's FailedCreate) and the live audit reports it.
 *
 * Fails, saying how to get them, when the toolchain, the kubernetes plugin or the control plane's
 * binaries are missing, unless SHIPSHAPE_SKIP_PULUMI=1 or SHIPSHAPE_SKIP_KUBERNETES=1.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/program";
import { SKIP_KUBERNETES, TestCluster } from "../kubernetes/cluster";
import {
  type CliResult,
  POLICY_PACK,
  PULUMI_PLUGINS,
  PulumiWorkspace,
  policyViolations,
  REPO,
  requireBinaries,
  skipPulumi,
} from "./pulumi-cli";

const STACK = "e2e";
const NS = "shipshape-k8s-e2e";
/** The stack's ObservabilityStack objects (`<namespace>-obs-…`). */
const PROMETHEUS = `${NS}-obs-prometheus`;
const ALERTMANAGER = `${NS}-obs-alertmanager`;

function kubernetesPluginVersion(): string {
  return (
    JSON.parse(readFileSync(join(REPO, "node_modules/@pulumi/kubernetes/package.json"), "utf8")) as {
      version: string;
    }
  ).version;
}

interface Item {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  status?: { conditions?: { type: string; reason?: string; message?: string }[] };
}

describe.skipIf(skipPulumi || SKIP_KUBERNETES)(
  "Kubernetes reference stack on a real API server (real CLI)",
  () => {
    let cluster: TestCluster;
    let ws: PulumiWorkspace;
    let dir: string;
    let badDir: string;
    let deployed: string[] = [];
    const engine = async (args: string[], cwd = dir): Promise<CliResult> =>
      ws.pulumiOk([...args, "--stack", STACK], cwd, 300_000);
    const items = async (path: string): Promise<Item[]> =>
      ((await cluster.apiOk("GET", path)).body.items ?? []) as Item[];

    beforeAll(async () => {
      requireBinaries(["pulumi", "pulumi-language-nodejs", "pulumi-resource-kubernetes"]);
      const plugin = join(PULUMI_PLUGINS, `resource-kubernetes-v${kubernetesPluginVersion()}`);
      if (!existsSync(plugin))
        throw new Error(`${plugin} missing: run bash scripts/kubernetes-tools/build.sh (setup runs it)`);
      if (!existsSync(join(REPO, "dist", "src", "index.js")))
        throw new Error(
          "the policy pack loads the built library (dist/), which is missing: run npm run build",
        );
      cluster = await TestCluster.start("stack");
      ws = new PulumiWorkspace("kubernetes-e2e");
      dir = ws.stage("shipshape-reference-kubernetes", join(REPO, "stacks/kubernetes/index.ts"));
      badDir = ws.stage(
        "shipshape-kubernetes-unhardened",
        join(REPO, "test/e2e/programs/kubernetes-unhardened.ts"),
      );
      for (const d of [dir, badDir]) {
        await ws.pulumiOk(["stack", "init", STACK], d);
        await ws.pulumiOk(
          ["config", "set", "--stack", STACK, "kubernetes:kubeconfig", cluster.kubeconfig],
          d,
        );
        await ws.pulumiOk(["config", "set", "--stack", STACK, "namespace", NS], d);
      }
      // The raw Deployment would fail the stack's KubernetesAudit; that program audits from the CLI.
      await ws.pulumiOk(["config", "set", "--stack", STACK, "audit", "false"], badDir);
    }, 300_000);

    afterAll(async () => {
      try {
        for (const d of deployed)
          await ws.pulumi(["destroy", "--yes", "--skip-preview", "--stack", STACK], d);
      } finally {
        ws?.dispose();
        await cluster?.stop();
      }
    }, 300_000);

    it("previews with the policy pack: nothing mandatory, advisories for the unverified image and the claim's storage class", async () => {
      const result = await engine(["preview", "--policy-pack", POLICY_PACK]);
      expect(result.output).not.toMatch(/using pulumi-resource-\S+ from \$PATH/);
      // Nothing mandatory. Advisories: the images (the services' and the monitoring stack's) are
      // digests nothing scanned or signed (the Docker stack's SignedImages are Docker-side), and the worker's claim names the storage
      // class "encrypted", which the pack's settings (policy/shipshape.policy.json,
      // encryptedStorageClasses) do not list as encrypting at rest; this control plane has no storage.
      const violations = policyViolations(result.output);
      expect(
        violations.filter((v) => v.level === "mandatory"),
        result.output,
      ).toEqual([]);
      expect(
        violations.map((v) => `${v.policy} ${v.resourceType} ${v.resourceName}`).sort(),
        result.output,
      ).toEqual([
        `image-not-verified kubernetes:apps/v1:Deployment ${ALERTMANAGER}`,
        `image-not-verified kubernetes:apps/v1:Deployment ${PROMETHEUS}`,
        "image-not-verified kubernetes:apps/v1:Deployment web",
        "image-not-verified kubernetes:apps/v1:Deployment worker",
        "pvc-unencrypted-storage-class kubernetes:core/v1:PersistentVolumeClaim worker-state",
      ]);
      expect(result.output).toMatch(/kubernetes:apps\/v1:Deployment/);
    }, 300_000);

    it("up creates the services in a restricted namespace, and PodSecurity admits the ReplicaSets' Pods", async () => {
      deployed = [dir];
      const result = await engine(["up", "--yes", "--skip-preview", "--policy-pack", POLICY_PACK]);
      expect(result.output).toMatch(/\+ \d+ created/);
      const [ns] = (await items(`/api/v1/namespaces?fieldSelector=metadata.name%3D${NS}`)) as Item[];
      expect(ns?.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
      // Nothing the API server was sent was judged below `restricted` (it warns on a Deployment).
      expect(result.output).not.toMatch(/would violate PodSecurity/);
      const deployments = await items(`/apis/apps/v1/namespaces/${NS}/deployments`);
      expect(deployments.map((d) => d.metadata.name).sort()).toEqual(
        [PROMETHEUS, ALERTMANAGER, "web", "worker"].sort(),
      );
      for (const d of deployments) expect(d.metadata.annotations?.["pulumi.com/skipAwait"]).toBe("true");
      const policies = await items(`/apis/networking.k8s.io/v1/namespaces/${NS}/networkpolicies`);
      expect(policies.length).toBeGreaterThanOrEqual(4);
      const secrets = (await items(`/api/v1/namespaces/${NS}/secrets`)).map((x) => x.metadata.name);
      // Each Deployment mounts its own auto-named Secret (the worker beside its claim).
      for (const d of deployments) {
        const volumes =
          (d as { spec?: { template?: { spec?: { volumes?: { secret?: { secretName: string } }[] } } } }).spec
            ?.template?.spec?.volumes ?? [];
        const mounted = volumes.flatMap((v) => (v.secret ? [v.secret.secretName] : []));
        expect(mounted, d.metadata.name).toHaveLength(1);
        expect(secrets).toContain(mounted[0]);
      }
      // The deployment controller made ReplicaSets, the ReplicaSet controller the Pods, which
      // PodSecurity admitted: 2 web + 1 worker + Prometheus + Alertmanager.
      const expectedPods = { web: 2, worker: 1, [PROMETHEUS]: 1, [ALERTMANAGER]: 1 };
      const podsOf = (all: Item[], app: string) =>
        all.filter((p) => p.metadata.labels?.["app.kubernetes.io/name"] === app).length;
      let pods: Item[] = [];
      const deadline = Date.now() + 90_000;
      while (pods.length < 5 && Date.now() < deadline) {
        pods = await items(`/api/v1/namespaces/${NS}/pods`);
        if (pods.length < 5) await new Promise((r) => setTimeout(r, 1000));
      }
      expect(pods.length).toBe(5);
      for (const [app, count] of Object.entries(expectedPods)) expect(podsOf(pods, app), app).toBe(count);
      const replicaSets = await items(`/apis/apps/v1/namespaces/${NS}/replicasets`);
      for (const app of Object.keys(expectedPods))
        expect(podsOf(replicaSets, app), `ReplicaSets of ${app}`).toBe(1);
      const failures = replicaSets.flatMap(
        (rs) => rs.status?.conditions?.filter((c) => c.reason === "FailedCreate") ?? [],
      );
      expect(failures).toEqual([]);
      // The monitoring stack's policies: Prometheus may reach Alertmanager and the web front's
      // pods on their ports (and DNS), and the web front lets Prometheus in on 8080.
      const policy = (name: string) =>
        policies.find((p) => p.metadata.name === name) as
          | (Item & {
              spec: {
                ingress?: {
                  from: { podSelector?: { matchLabels?: Record<string, string> } }[];
                  ports?: { port: number }[];
                }[];
                egress?: {
                  to: { podSelector?: { matchLabels?: Record<string, string> } }[];
                  ports?: { port: number }[];
                }[];
              };
            })
          | undefined;
      const peers = (rules: { to?: unknown[]; from?: unknown[]; ports?: { port: number }[] }[] | undefined) =>
        (rules ?? []).map((r) => {
          const [peer] = (r.to ?? r.from ?? []) as {
            podSelector?: { matchLabels?: Record<string, string> };
          }[];
          return `${peer?.podSelector?.matchLabels?.["app.kubernetes.io/name"] ?? JSON.stringify(peer?.podSelector?.matchLabels)}:${(r.ports ?? []).map((p) => p.port).join(",")}`;
        });
      expect(peers(policy(PROMETHEUS)?.spec.egress)).toEqual([
        `${ALERTMANAGER}:9093`,
        "web:8080",
        '{"k8s-app":"kube-dns"}:53,53',
      ]);
      expect(peers(policy(ALERTMANAGER)?.spec.ingress)).toEqual([`${PROMETHEUS}:9093`]);
      expect(peers(policy("web")?.spec.ingress)).toEqual([`${PROMETHEUS}:8080`]);
      // The KubernetesAudit ran on the live namespace: only the "default" ServiceAccount the
      // controller manager creates in every namespace (low: its token may be mounted) is reported.
      const out = JSON.parse((await engine(["stack", "output", "--json"])).stdout) as {
        auditFindings: string[];
        observability: { prometheus: string; alertmanager: string; alertNames: string[] };
      };
      expect(out.observability).toEqual({
        prometheus: `${PROMETHEUS}.${NS}.svc:9090`,
        alertmanager: `${ALERTMANAGER}.${NS}.svc:9093`,
        alertNames: ["ScrapeTargetDown"],
      });
      expect(out.auditFindings).toEqual([
        `default-service-account kubernetes://shipshape/${NS}/ServiceAccount/default`,
      ]);
    }, 300_000);

    it("a second up changes nothing", async () => {
      const result = await engine(["up", "--yes", "--skip-preview", "--policy-pack", POLICY_PACK]);
      expect(result.output).not.toMatch(/[+~-] \d+ (created|updated|deleted|replaced)/);
      expect(result.output).toMatch(/\d+ unchanged/);
    }, 300_000);

    it("the same program with a raw Deployment: the pack blocks it at preview", async () => {
      const result = await ws.pulumi(
        ["preview", "--policy-pack", POLICY_PACK, "--stack", STACK],
        badDir,
        300_000,
      );
      expect(result.code).not.toBe(0);
      const blocked = policyViolations(result.output).filter(
        (v) =>
          v.resourceType === "kubernetes:apps/v1:Deployment" &&
          v.resourceName === "raw" &&
          v.level === "mandatory",
      );
      expect(blocked.length, result.output).toBeGreaterThan(0);
    }, 300_000);

    it("with the pack off, PodSecurity refuses its Pods (FailedCreate), and the live audit reports it", async () => {
      // The good program's namespace first goes, so the bad one owns its own copy of the stack.
      await engine(["destroy", "--yes", "--skip-preview"]);
      deployed = [];
      await waitForNamespaceGone();
      // The reference stack's destroy left nothing: no resource in its state, no Deployment or
      // ReplicaSet of it (the monitoring stack's included) anywhere in the cluster.
      const state = JSON.parse(ws.stateFile("shipshape-reference-kubernetes", STACK)) as {
        checkpoint: { latest: { resources?: unknown[] } };
      };
      expect(state.checkpoint.latest.resources ?? []).toEqual([]);
      for (const kind of ["deployments", "replicasets"]) {
        const left = (
          await items(`/apis/apps/v1/${kind}?labelSelector=app.kubernetes.io%2Fpart-of%3D${NS}`)
        ).map((x) => x.metadata.name);
        expect(left, kind).toEqual([]);
      }
      deployed = [badDir];
      await engine(["up", "--yes", "--skip-preview"], badDir);
      let failure: { reason?: string; message?: string } | undefined;
      const deadline = Date.now() + 60_000;
      while (!failure && Date.now() < deadline) {
        failure = (await items(`/apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app%3Draw`))
          .flatMap((rs) => rs.status?.conditions ?? [])
          .find((c) => c.type === "ReplicaFailure" && c.reason === "FailedCreate");
        if (!failure) await new Promise((r) => setTimeout(r, 500));
      }
      expect(failure?.message).toMatch(/violates PodSecurity "restricted:latest"/);
      expect(await items(`/api/v1/namespaces/${NS}/pods?labelSelector=app%3Draw`)).toEqual([]);

      let stdout = "";
      const code = runCli(
        ["audit", "--kubernetes", "--kubeconfig", cluster.kubeconfig, "--namespace", NS, "-f", "json"],
        {
          stdout: (t) => (stdout += t),
          stderr: () => undefined,
        },
      );
      expect(code).toBe(1);
      const report = JSON.parse(stdout) as {
        findings: { file: string; ruleId: string; references: { pss?: string[] } }[];
      };
      const raw = report.findings.filter((f) => f.file === `kubernetes://shipshape/${NS}/Deployment/raw`);
      expect(raw.map((f) => f.ruleId)).toEqual(
        expect.arrayContaining(["run-as-non-root", "drop-all-capabilities"]),
      );
      expect(raw.flatMap((f) => f.references.pss ?? []).length).toBeGreaterThan(0);
      // Only the raw Deployment: the hardened services around it audit clean.
      expect(
        report.findings
          .filter((f) => !f.file.endsWith("/Deployment/raw"))
          .map((f) => `${f.ruleId} ${f.file}`),
      ).toEqual([`default-service-account kubernetes://shipshape/${NS}/ServiceAccount/default`]);
    }, 300_000);

    it("destroy leaves nothing", async () => {
      await engine(["destroy", "--yes", "--skip-preview"], badDir);
      deployed = [];
      await waitForNamespaceGone();
      const state = JSON.parse(ws.stateFile("shipshape-kubernetes-unhardened", STACK)) as {
        checkpoint: { latest: { resources?: unknown[] } };
      };
      expect(state.checkpoint.latest.resources ?? []).toEqual([]);
    }, 300_000);

    async function waitForNamespaceGone(): Promise<void> {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const res = await cluster.api("GET", `/api/v1/namespaces/${NS}`);
        if (res.status === 404) return;
        if (Date.now() > deadline)
          throw new Error(
            `namespace ${NS} still exists 120 s after destroy: ${JSON.stringify(res.body.status)}`,
          );
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  },
);
