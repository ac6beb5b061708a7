import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { packageModulePath } from "../../program/module-path";
import type { KubernetesAuditInputs, KubernetesAuditOutputs } from "./types";

/**
 * The cluster-audit module, by absolute path. The provider runs in another process after closure
 * serialization, so it captures this string and requires the module there, never a client,
 * schema or class.
 */
const CLUSTER_MODULE = packageModulePath(join(__dirname, "..", "..", "live", "kubernetes"), "index");
/** In development the module is TypeScript: tsx's require hook, also by absolute path. */
const TS_HOOK = CLUSTER_MODULE.endsWith(".ts") ? require.resolve("tsx/cjs/api") : "";

const SEVERITY_ORDER = ["info", "low", "medium", "high", "critical"];
const FINDINGS_KEPT = 200;

/** Runs the cluster audit and enforces `failOn`; throws (failing the deployment) when it is reached. */
async function runKubernetesAudit(inputs: KubernetesAuditInputs): Promise<KubernetesAuditOutputs> {
  // Heavy modules load inside the method, in the provider's process.
  if (TS_HOOK) require(TS_HOOK).register();
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  const cluster = require(CLUSTER_MODULE) as typeof import("../../live/kubernetes");
  const options: import("../../live/kubernetes").ClusterAuditOptions = {};
  if (inputs.kubeconfig) options.kubeconfig = inputs.kubeconfig;
  if (inputs.context) options.context = inputs.context;
  if (inputs.namespace) options.namespace = inputs.namespace;
  const result = await cluster.auditCluster(options);
  if (result.errors.length > 0) {
    throw new Error(
      `KubernetesAudit: ${result.errors.length} object(s) of ${result.server} could not be read:\n${result.errors
        .slice(0, 20)
        .map((e) => `  ${e.file}: ${e.message}`)
        .join("\n")}`,
    );
  }
  const failRank = SEVERITY_ORDER.indexOf(inputs.failOn);
  const ordered = [...result.findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(b.severity) - SEVERITY_ORDER.indexOf(a.severity) ||
      a.file.localeCompare(b.file) ||
      a.ruleId.localeCompare(b.ruleId),
  );
  const blocking = ordered.filter((f) => SEVERITY_ORDER.indexOf(f.severity) >= failRank);
  const where = `${result.server} (context ${result.context}${inputs.namespace ? `, namespace ${inputs.namespace}` : ""})`;
  if (blocking.length > 0) {
    const lines = blocking.slice(0, 20).map((f) => `  [${f.severity}] ${f.ruleId}: ${f.message} (${f.file})`);
    const more = blocking.length > 20 ? `\n  … and ${blocking.length - 20} more` : "";
    throw new Error(
      `KubernetesAudit: ${blocking.length} finding(s) at or above "${inputs.failOn}" on ${where}:\n${lines.join("\n")}${more}\n` +
        "Fix them (`shipshape audit --kubernetes` lists every finding) or raise failOn.",
    );
  }
  const counts: Record<string, number> = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const f of ordered) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  const fingerprint = createHash("sha256")
    .update(JSON.stringify(ordered.map((f) => [f.ruleId, f.file, f.message])))
    .digest("hex")
    .slice(0, 16);
  return {
    ...inputs,
    server: result.server,
    contextUsed: result.context,
    counts,
    total: ordered.length,
    blocking: 0,
    findings: ordered.slice(0, FINDINGS_KEPT).map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      object: f.object,
      file: f.file,
      message: f.message,
    })),
    objects: result.objects.length,
    fingerprint,
    notes: result.notes,
  };
}

function changedInputs(olds: KubernetesAuditOutputs, news: KubernetesAuditInputs): string[] {
  return (["kubeconfig", "context", "namespace", "failOn"] as const).filter(
    (k) => (olds[k] ?? "") !== (news[k] ?? ""),
  );
}

/**
 * The dynamic provider of `KubernetesAudit`. `diff` re-audits the cluster so that drift (a new
 * privileged Deployment, a wildcard Role) makes the next `pulumi up` run the gate again; a cluster
 * it cannot read also counts as a change, so `up` fails loudly instead of passing.
 */
export const kubernetesAuditProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: KubernetesAuditInputs, news: KubernetesAuditInputs) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!SEVERITY_ORDER.includes(news.failOn)) {
      failures.push({
        property: "failOn",
        reason: `failOn: got ${JSON.stringify(news.failOn)}; use one of ${SEVERITY_ORDER.join(", ")}`,
      });
    }
    return { inputs: news, failures };
  },

  async create(inputs: KubernetesAuditInputs) {
    const outs = await runKubernetesAudit(inputs);
    const { createHash } = require("node:crypto") as typeof import("node:crypto");
    const id = createHash("sha256")
      .update(`${outs.server}|${outs.contextUsed}|${inputs.namespace ?? ""}`)
      .digest("hex")
      .slice(0, 16);
    return { id: `kubernetes-audit-${id}`, outs };
  },

  async diff(_id: string, olds: KubernetesAuditOutputs, news: KubernetesAuditInputs) {
    if (changedInputs(olds, news).length > 0)
      return { changes: true, replaces: [], deleteBeforeReplace: false };
    try {
      const now = await runKubernetesAudit(news);
      return { changes: now.fingerprint !== olds.fingerprint };
    } catch {
      // Unreadable cluster or findings over the threshold: let `update` fail the deployment.
      return { changes: true };
    }
  },

  async update(_id: string, _olds: KubernetesAuditOutputs, news: KubernetesAuditInputs) {
    return { outs: await runKubernetesAudit(news) };
  },

  async delete() {
    // An audit leaves nothing behind.
  },
};
