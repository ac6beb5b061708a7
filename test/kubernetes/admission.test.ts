/**
 * The Pod Security claim, judged by a real API server: every Kubernetes rendering (the examples'
 * and SecureService renderings from the property test's generator) is accepted with server-side
 * dry-run in a namespace that enforces `restricted`, its objects with no Pod Security warning and
 * a Pod made from each workload's template admitted. A raw, unhardened Deployment is accepted
 * (with a warning), but the ReplicaSet controller's Pod creates are refused by PodSecurity.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { programServices, RenderTarget, renderServices } from "../../src/render/render";
import { common } from "../components/arbitraries";
import { collectionPath, describeKubernetes, REPO, TestCluster } from "./cluster";

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  spec?: Record<string, unknown>;
  [k: string]: unknown;
}

const NS = "restricted-judge";

/** The pod template of a workload object, or undefined for other kinds. */
function podTemplate(o: KubeObject): { metadata?: Record<string, unknown>; spec: unknown } | undefined {
  const spec = o.spec as Record<string, unknown> | undefined;
  if (o.kind === "CronJob") {
    const job = (spec?.jobTemplate as { spec?: { template?: unknown } } | undefined)?.spec?.template;
    return job as { spec: unknown } | undefined;
  }
  if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(o.kind)) {
    return spec?.template as { spec: unknown } | undefined;
  }
  return undefined;
}

function objectsOf(yamlText: string): KubeObject[] {
  return parseAllDocuments(yamlText)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null && typeof o === "object");
}

describeKubernetes("Pod Security admission of a real API server judges the renderings", () => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await TestCluster.start("admission");
    await cluster.createNamespace(NS);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /** Dry-runs every object (and a Pod of each template) in NS; returns what the server refused or warned. */
  async function judge(objects: KubeObject[], label: string): Promise<string[]> {
    const problems: string[] = [];
    for (const original of objects) {
      if (original.kind === "Namespace") continue;
      const o: KubeObject = { ...original, metadata: { ...original.metadata, namespace: NS } };
      const res = await cluster.api("POST", `${collectionPath(o, NS)}?dryRun=All&fieldValidation=Strict`, o);
      if (res.status !== 201)
        problems.push(
          `${label} ${o.kind}/${o.metadata.name}: HTTP ${res.status} ${String(res.body.message)}`,
        );
      for (const w of res.warnings) problems.push(`${label} ${o.kind}/${o.metadata.name}: warning ${w}`);
      const template = podTemplate(o);
      if (template) {
        // The Pod's ServiceAccount must exist for admission to get to Pod Security (a dry-run
        // create of the rendering's ServiceAccount does not persist it).
        const account = (template.spec as { serviceAccountName?: string }).serviceAccountName;
        if (account)
          await cluster.ensure(`/api/v1/namespaces/${NS}/serviceaccounts`, {
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: { name: account, namespace: NS },
          });
        const pod = {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { ...(template.metadata ?? {}), name: `${o.metadata.name}-pod`, namespace: NS },
          spec: template.spec,
        };
        const podRes = await cluster.api("POST", `/api/v1/namespaces/${NS}/pods?dryRun=All`, pod);
        if (account) await cluster.api("DELETE", `/api/v1/namespaces/${NS}/serviceaccounts/${account}`);
        if (podRes.status !== 201)
          problems.push(
            `${label} Pod of ${o.kind}/${o.metadata.name}: HTTP ${podRes.status} ${String(podRes.body.message)}`,
          );
      }
    }
    return problems;
  }

  it("the control plane started within a minute, and PodSecurity refuses a Pod that is not restricted", async () => {
    expect(cluster.startMs).toBeLessThan(60_000);
    // No securityContext at all: admitted by the API server's validation, refused by PodSecurity.
    const bare = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "bare", namespace: NS },
      spec: { containers: [{ name: "c", image: `busybox@sha256:${"0".repeat(64)}` }] },
    };
    const res = await cluster.api("POST", `/api/v1/namespaces/${NS}/pods?dryRun=All`, bare);
    expect(res.status).toBe(403);
    expect(String(res.body.message)).toMatch(
      /violates PodSecurity "restricted:latest".*runAsNonRoot != true/,
    );
    // A privileged container does not even get to admission: --allow-privileged=false.
    const privileged = {
      ...bare,
      metadata: { name: "privileged", namespace: NS },
      spec: { containers: [{ ...bare.spec.containers[0], securityContext: { privileged: true } }] },
    };
    const refused = await cluster.api("POST", `/api/v1/namespaces/${NS}/pods?dryRun=All`, privileged);
    expect(refused.status).toBe(422);
    expect(String(refused.body.message)).toMatch(/privileged: Forbidden: disallowed by cluster policy/);
  });

  it("every example's Kubernetes rendering is accepted under restricted", async () => {
    const rendered: string[] = [];
    const refused: string[] = [];
    for (const example of readdirSync(join(REPO, "examples")).sort()) {
      let yamlText: string | undefined;
      try {
        const services = await programServices(join(REPO, "examples", example));
        yamlText = renderServices(services, RenderTarget.Kubernetes).files.find(
          (f) => f.path === "kubernetes.yaml",
        )?.content;
      } catch (error) {
        // Programs render does not run (Python, YAML) or whose services need a deployment.
        refused.push(`${example}: ${(error as Error).message.split("\n")[0]}`);
        continue;
      }
      if (!yamlText) continue;
      const objects = objectsOf(yamlText);
      expect(objects.some((o) => o.kind === "Deployment")).toBe(true);
      expect(await judge(objects, example)).toEqual([]);
      rendered.push(example);
    }
    expect(rendered).toEqual(expect.arrayContaining(["secure-service-docker", "secure-service-kubernetes"]));
  });

  it("SecureService renderings from the property test's generator are accepted under restricted", async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(common("kubernetes"), async (args) => {
        const { files } = renderServices([{ name: "svc", args }], RenderTarget.Kubernetes);
        const objects = objectsOf(files.find((f) => f.path === "kubernetes.yaml")?.content ?? "");
        expect(objects.filter((o) => o.kind === "Deployment")).toHaveLength(1);
        expect(await judge(objects, "generated")).toEqual([]);
        runs++;
      }),
      { numRuns: 40 },
    );
    expect(runs).toBeGreaterThanOrEqual(40);
  });

  it("a raw, unhardened Deployment's Pods are refused by PodSecurity (ReplicaSet FailedCreate)", async () => {
    const raw = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "raw", namespace: NS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "raw" } },
        template: {
          metadata: { labels: { app: "raw" } },
          spec: { containers: [{ name: "raw", image: "nginx@sha256:" + "1".repeat(64) }] },
        },
      },
    };
    const created = await cluster.apiOk("POST", `/apis/apps/v1/namespaces/${NS}/deployments`, raw);
    // The Deployment itself is admitted: PodSecurity only warns on workload objects.
    expect(created.warnings.join("\n")).toMatch(/would violate PodSecurity \\?"restricted:latest\\?"/);
    try {
      // The deployment controller makes a ReplicaSet; the ReplicaSet controller's Pod create is refused.
      let failure: { reason?: string; message?: string } | undefined;
      const deadline = Date.now() + 60_000;
      while (!failure && Date.now() < deadline) {
        const list = await cluster.apiOk(
          "GET",
          `/apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app%3Draw`,
        );
        const items = (list.body.items ?? []) as {
          status?: { conditions?: { type: string; reason?: string; message?: string }[] };
        }[];
        failure = items
          .flatMap((rs) => rs.status?.conditions ?? [])
          .find((c) => c.type === "ReplicaFailure" && c.reason === "FailedCreate");
        if (!failure) await new Promise((r) => setTimeout(r, 500));
      }
      expect(failure, "the ReplicaSet reported no FailedCreate within 60 s").toBeDefined();
      expect(failure?.message).toMatch(/forbidden: violates PodSecurity "restricted:latest"/);
      const events = await cluster.apiOk(
        "GET",
        `/api/v1/namespaces/${NS}/events?fieldSelector=reason%3DFailedCreate`,
      );
      const messages = ((events.body.items ?? []) as { message?: string }[]).map((e) => e.message ?? "");
      expect(messages.some((m) => m.includes("violates PodSecurity"))).toBe(true);
      const pods = await cluster.apiOk("GET", `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Draw`);
      expect(pods.body.items).toEqual([]);
    } finally {
      await cluster.api("DELETE", `/apis/apps/v1/namespaces/${NS}/deployments/raw`);
    }
  });
});
