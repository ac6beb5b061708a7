/**
 * A real Kubernetes control plane for the tests that need one: scripts/cluster.sh (etcd,
 * kube-apiserver with Pod Security admission, kube-controller-manager, all on 127.0.0.1), started
 * in a directory and on ports of the calling suite's own, and stopped (its directory removed) by
 * the same suite. The binaries come from scripts/kubernetes-tools/build.sh (setup builds them).
 *
 * Missing binaries fail the suite with the way to get them; SHIPSHAPE_SKIP_KUBERNETES=1 is the
 * only way to skip (CI never sets it).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe } from "vitest";
import { parse as parseYaml } from "yaml";

const run = promisify(execFile);

export const REPO = resolve(__dirname, "../..");
const cacheDir =
  process.env.SHIPSHAPE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "shipshape");
export const TOOLS_BIN = join(cacheDir, "tools", "bin");

/** Kubernetes tests are skipped only when this is set; CI never sets it. */
export const SKIP_KUBERNETES = process.env.SHIPSHAPE_SKIP_KUBERNETES === "1";

/** `describe` for tests that need the real API server. */
export const describeKubernetes: typeof describe = (
  SKIP_KUBERNETES ? describe.skip : describe
) as typeof describe;

/** Throws, naming what is missing and how to get it, unless the control plane's binaries are built. */
export function requireControlPlane(): void {
  const missing = ["etcd", "kube-apiserver", "kube-controller-manager"].filter(
    (b) => !existsSync(join(TOOLS_BIN, b)),
  );
  if (missing.length > 0) {
    throw new Error(
      `${missing.join(", ")} missing in ${TOOLS_BIN}: run bash scripts/kubernetes-tools/build.sh (setup runs it), or set SHIPSHAPE_SKIP_KUBERNETES=1 to skip the Kubernetes tests`,
    );
  }
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once("error", () => resolvePort(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolvePort(true)));
  });
}

/** A base port whose next two ports are free too (the API server, etcd's client and peer URLs). */
async function freeBasePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 20000);
    if ((await portFree(base)) && (await portFree(base + 1)) && (await portFree(base + 2))) return base;
  }
  throw new Error("no three consecutive free ports on 127.0.0.1 between 20000 and 40000");
}

export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
  /** The API server's `Warning` headers (Pod Security warns on workload objects this way). */
  warnings: string[];
}

/** A running control plane of one suite. */
export class TestCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly kubeconfig: string,
    /** How long `cluster.sh up` took, in milliseconds. */
    readonly startMs: number,
  ) {}

  /** Starts a control plane of its own; call `stop` in afterAll. */
  static async start(label: string): Promise<TestCluster> {
    requireControlPlane();
    const dir = mkdtempSync(join(tmpdir(), `shipshape-k8s-${label}-`));
    const port = await freeBasePort();
    const t0 = Date.now();
    try {
      await run("bash", [join(REPO, "scripts", "cluster.sh"), "up"], {
        env: { ...process.env, SHIPSHAPE_CLUSTER_DIR: dir, SHIPSHAPE_CLUSTER_PORT: String(port) },
        timeout: 180_000,
      });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      await run("bash", [join(REPO, "scripts", "cluster.sh"), "down"], {
        env: { ...process.env, SHIPSHAPE_CLUSTER_DIR: dir, SHIPSHAPE_CLUSTER_PORT: String(port) },
      }).catch(() => undefined);
      throw new Error(`scripts/cluster.sh up failed: ${e.stderr || e.message}`);
    }
    return new TestCluster(dir, port, join(dir, "kubeconfig"), Date.now() - t0);
  }

  async stop(): Promise<void> {
    await run("bash", [join(REPO, "scripts", "cluster.sh"), "down"], {
      env: { ...process.env, SHIPSHAPE_CLUSTER_DIR: this.dir, SHIPSHAPE_CLUSTER_PORT: String(this.port) },
      timeout: 60_000,
    });
    rmSync(this.dir, { recursive: true, force: true });
  }

  private credentials(): { ca: Buffer; cert: Buffer; key: Buffer } {
    const config = parseYaml(readFileSync(this.kubeconfig, "utf8")) as {
      clusters: { cluster: { "certificate-authority-data": string } }[];
      users: { user: { "client-certificate-data": string; "client-key-data": string } }[];
    };
    const b64 = (s: string | undefined) => Buffer.from(s ?? "", "base64");
    return {
      ca: b64(config.clusters[0]?.cluster["certificate-authority-data"]),
      cert: b64(config.users[0]?.user["client-certificate-data"]),
      key: b64(config.users[0]?.user["client-key-data"]),
    };
  }

  /** One request to the API server as the cluster's admin; never throws on an HTTP error status. */
  async api(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const { ca, cert, key } = this.credentials();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolveResponse, reject) => {
      const req = httpsRequest(
        {
          host: "127.0.0.1",
          port: this.port,
          method,
          path,
          ca,
          cert,
          key,
          headers: payload
            ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }
            : {},
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: Record<string, unknown> = {};
            try {
              parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
            } catch {
              parsed = { text };
            }
            const warning = res.headers.warning;
            const warnings = warning === undefined ? [] : Array.isArray(warning) ? warning : [warning];
            resolveResponse({ status: res.statusCode ?? 0, body: parsed, warnings });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on("error", reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** Like `api`, but a status outside 2xx is an error showing what the API server said. */
  async apiOk(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const res = await this.api(method, path, body);
    if (res.status < 200 || res.status >= 300) {
      throw new Error(`${method} ${path}: HTTP ${res.status}: ${JSON.stringify(res.body)}`);
    }
    return res;
  }

  /** Creates a namespace that enforces (and warns at) a Pod Security level. */
  async createNamespace(name: string, level = "restricted"): Promise<void> {
    await this.apiOk("POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name,
        labels: {
          "pod-security.kubernetes.io/enforce": level,
          "pod-security.kubernetes.io/enforce-version": "latest",
          "pod-security.kubernetes.io/warn": level,
        },
      },
    });
    // Pods name the namespace's "default" ServiceAccount unless they say otherwise; the
    // controller manager's serviceaccount controller creates it shortly after the namespace.
    const deadline = Date.now() + 30_000;
    while ((await this.api("GET", `/api/v1/namespaces/${name}/serviceaccounts/default`)).status !== 200) {
      if (Date.now() > deadline)
        throw new Error(`namespace ${name} got no default ServiceAccount within 30 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Creates an object for real unless it exists (HTTP 409). */
  async ensure(path: string, body: unknown): Promise<void> {
    const res = await this.api("POST", path, body);
    if (res.status !== 201 && res.status !== 409)
      throw new Error(`POST ${path}: HTTP ${res.status}: ${JSON.stringify(res.body)}`);
  }
}

/** The collection path of an object: `/apis/apps/v1/namespaces/ns/deployments`. */
export function collectionPath(object: { apiVersion: string; kind: string }, namespace?: string): string {
  const group = object.apiVersion.includes("/") ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const plural = PLURALS[object.kind];
  if (!plural) throw new Error(`no plural known for kind ${object.kind}: add it to PLURALS`);
  const clusterScoped = CLUSTER_SCOPED.has(object.kind);
  return clusterScoped || !namespace ? `${group}/${plural}` : `${group}/namespaces/${namespace}/${plural}`;
}

const PLURALS: Record<string, string> = {
  Pod: "pods",
  Deployment: "deployments",
  StatefulSet: "statefulsets",
  DaemonSet: "daemonsets",
  ReplicaSet: "replicasets",
  Job: "jobs",
  CronJob: "cronjobs",
  Service: "services",
  ServiceAccount: "serviceaccounts",
  ConfigMap: "configmaps",
  Secret: "secrets",
  NetworkPolicy: "networkpolicies",
  PodDisruptionBudget: "poddisruptionbudgets",
  Role: "roles",
  RoleBinding: "rolebindings",
  ClusterRole: "clusterroles",
  ClusterRoleBinding: "clusterrolebindings",
  Namespace: "namespaces",
  PersistentVolumeClaim: "persistentvolumeclaims",
  HorizontalPodAutoscaler: "horizontalpodautoscalers",
  Ingress: "ingresses",
};
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding"]);
