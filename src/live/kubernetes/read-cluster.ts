/**
 * Reads the live objects of a Kubernetes cluster with `@kubernetes/client-node` (its kubeconfig
 * loading, contexts and authentication; its generic object API), as the plain manifests the YAML
 * adapter reads: the objects the rules check (workloads, RBAC, NetworkPolicies, ServiceAccounts,
 * Services, Namespaces), without server-side bookkeeping (status, managed fields, uid…).
 *
 * Objects a controller owns (a Deployment's ReplicaSets and Pods, a CronJob's Jobs) are left out:
 * their owner is audited, and its findings point at what a user can change.
 */

/** What to read and how. */
export interface ReadClusterOptions {
  /** Kubeconfig file. @default $KUBECONFIG or ~/.kube/config (client-node's default loading) */
  kubeconfig?: string;
  /** Context of the kubeconfig. @default its current context */
  context?: string;
  /** Only this namespace (and no cluster-scoped object but the Namespace itself). @default every namespace */
  namespace?: string;
  /** Bound on the whole read, in milliseconds. @default 60 000 */
  deadlineMs?: number;
}

/** One live object, as a manifest. */
export interface LiveObject {
  /** `kubernetes://<context>/<namespace>/<Kind>/<name>` (`_cluster` for cluster-scoped objects). */
  address: string;
  manifest: Record<string, unknown>;
}

export interface ClusterSnapshot {
  context: string;
  server: string;
  objects: LiveObject[];
  notes: string[];
}

/** The cluster could not be reached or read (exit code 2 in the CLI). */
export class ClusterUnreachableError extends Error {
  constructor(
    readonly address: string,
    readonly reason: string,
  ) {
    super(`cannot read the Kubernetes cluster at ${address}: ${reason}`);
    this.name = "ClusterUnreachableError";
  }
}

/** The kinds read, in report order. */
const KINDS: readonly { apiVersion: string; kind: string; namespaced: boolean }[] = [
  { apiVersion: "v1", kind: "Namespace", namespaced: false },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", namespaced: false },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", namespaced: false },
  { apiVersion: "v1", kind: "ServiceAccount", namespaced: true },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", namespaced: true },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", namespaced: true },
  { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", namespaced: true },
  { apiVersion: "v1", kind: "Service", namespaced: true },
  { apiVersion: "apps/v1", kind: "Deployment", namespaced: true },
  { apiVersion: "apps/v1", kind: "StatefulSet", namespaced: true },
  { apiVersion: "apps/v1", kind: "DaemonSet", namespaced: true },
  { apiVersion: "apps/v1", kind: "ReplicaSet", namespaced: true },
  { apiVersion: "batch/v1", kind: "Job", namespaced: true },
  { apiVersion: "batch/v1", kind: "CronJob", namespaced: true },
  { apiVersion: "v1", kind: "Pod", namespaced: true },
];

/** Namespaces of the control plane itself, left out unless asked for with `namespace`. */
const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease"]);

/** Server-side bookkeeping: not part of what a user declares. */
const METADATA_DROPPED = [
  "managedFields",
  "resourceVersion",
  "uid",
  "generation",
  "creationTimestamp",
  "selfLink",
];

/** A live object as the manifest a user would have written (a deep copy). */
export function asManifest(apiVersion: string, kind: string, item: unknown): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(item ?? {})) as Record<string, unknown>;
  const { status: _status, ...rest } = plain;
  const metadata = { ...((rest.metadata as Record<string, unknown> | undefined) ?? {}) };
  for (const key of METADATA_DROPPED) delete metadata[key];
  const annotations = metadata.annotations as Record<string, string> | undefined;
  if (annotations?.["kubectl.kubernetes.io/last-applied-configuration"] !== undefined) {
    const { "kubectl.kubernetes.io/last-applied-configuration": _last, ...others } = annotations;
    if (Object.keys(others).length > 0) metadata.annotations = others;
    else delete metadata.annotations;
  }
  return { ...rest, apiVersion, kind, metadata };
}

/** Built-in RBAC objects the API server bootstraps (cluster-admin, system:…): not the user's. */
function isBootstrapped(manifest: Record<string, unknown>): boolean {
  const labels = (manifest.metadata as { labels?: Record<string, string> } | undefined)?.labels;
  return labels?.["kubernetes.io/bootstrapping"] === "rbac-defaults";
}

function ownedByController(manifest: Record<string, unknown>): boolean {
  const owners = (manifest.metadata as { ownerReferences?: { controller?: boolean }[] } | undefined)
    ?.ownerReferences;
  return (owners ?? []).some((o) => o.controller === true);
}

function reason(error: unknown): string {
  const e = error as { code?: number; body?: unknown; message?: string; cause?: { message?: string } };
  if (typeof e.code === "number") {
    let body = "";
    try {
      const parsed = typeof e.body === "string" ? (JSON.parse(e.body) as { message?: string }) : undefined;
      body = parsed?.message ?? "";
    } catch {
      body = "";
    }
    return `HTTP ${e.code}${body ? `: ${body}` : ""}`;
  }
  const cause = e.cause?.message ? ` (${e.cause.message})` : "";
  return `${(e.message ?? String(error)).split("\n")[0]}${cause}`;
}

/** Reads the cluster; throws `ClusterUnreachableError` when it cannot. */
export async function readCluster(options: ReadClusterOptions = {}): Promise<ClusterSnapshot> {
  const k8s = await import("@kubernetes/client-node");
  const kc = new k8s.KubeConfig();
  try {
    if (options.kubeconfig !== undefined) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    throw new ClusterUnreachableError(
      options.kubeconfig ?? "the default kubeconfig",
      `the kubeconfig cannot be read: ${reason(error)}`,
    );
  }
  if (options.context !== undefined) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(options.context)) {
      throw new ClusterUnreachableError(
        options.kubeconfig ?? "the default kubeconfig",
        `it has no context named "${options.context}" (it has ${names.length > 0 ? names.map((n) => `"${n}"`).join(", ") : "none"}); give one of them with --context`,
      );
    }
    kc.setCurrentContext(options.context);
  }
  const context = kc.getCurrentContext();
  const server = kc.getCurrentCluster()?.server;
  if (!server) {
    throw new ClusterUnreachableError(
      options.kubeconfig ?? "the default kubeconfig",
      `context "${context}" names no cluster with a server address`,
    );
  }
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  const deadline = Date.now() + (options.deadlineMs ?? 60_000);
  const notes: string[] = [];
  const objects: LiveObject[] = [];
  const systemSkipped = new Set<string>();
  let bootstrapped = 0;
  for (const k of KINDS) {
    if (options.namespace !== undefined && !k.namespaced && k.kind !== "Namespace") continue;
    if (Date.now() > deadline) throw new ClusterUnreachableError(server, "the read did not finish in time");
    let items: unknown[];
    try {
      const remaining = Math.max(1, deadline - Date.now());
      const list = await withTimeout(
        api.list(k.apiVersion, k.kind, k.namespaced ? options.namespace : undefined),
        remaining,
      );
      items = list.items ?? [];
    } catch (error) {
      throw new ClusterUnreachableError(server, `listing ${k.kind} objects failed: ${reason(error)}`);
    }
    for (const item of items) {
      const manifest = asManifest(k.apiVersion, k.kind, item);
      const meta = manifest.metadata as { name?: string; namespace?: string };
      const name = meta.name ?? "";
      const namespace = k.namespaced ? (meta.namespace ?? "default") : undefined;
      if (k.kind === "Namespace" && options.namespace !== undefined && name !== options.namespace) continue;
      const inSystem = SYSTEM_NAMESPACES.has(namespace ?? (k.kind === "Namespace" ? name : ""));
      if (options.namespace === undefined && inSystem) {
        systemSkipped.add(namespace ?? name);
        continue;
      }
      if (isBootstrapped(manifest)) {
        bootstrapped++;
        continue;
      }
      if (ownedByController(manifest)) continue;
      objects.push({
        address: `kubernetes://${context}/${namespace ?? "_cluster"}/${k.kind}/${name}`,
        manifest,
      });
    }
  }
  if (systemSkipped.size > 0)
    notes.push(
      `the control plane's own namespaces (${[...systemSkipped].sort().join(", ")}) are not audited; name one with --namespace to audit it`,
    );
  if (bootstrapped > 0)
    notes.push(
      `${bootstrapped} built-in RBAC objects the API server bootstraps (kubernetes.io/bootstrapping=rbac-defaults) are not audited`,
    );
  return { context, server, objects, notes };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
