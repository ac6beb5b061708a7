import { join } from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { packageModulePath } from "../../program/module-path";
import type { DaemonAuditInputs, DaemonAuditOutputs } from "./types";

/**
 * The live-audit module, by absolute path. The provider runs in another process after closure
 * serialization, so it captures this string and requires the module there, never a client,
 * schema or class.
 */
const LIVE_MODULE = packageModulePath(join(__dirname, "..", "..", "live"), "index");
/** In development the module is TypeScript: tsx's require hook, also by absolute path. */
const TS_HOOK = LIVE_MODULE.endsWith(".ts") ? require.resolve("tsx/cjs/api") : "";

const SEVERITY_ORDER = ["info", "low", "medium", "high", "critical"];
const FINDINGS_KEPT = 200;

/** Runs the live audit and enforces `failOn`; throws (failing the deployment) when it is reached. */
async function runDaemonAudit(inputs: DaemonAuditInputs): Promise<DaemonAuditOutputs> {
  // Heavy modules load inside the method, in the provider's process.
  if (TS_HOOK) require(TS_HOOK).register();
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  const live = require(LIVE_MODULE) as typeof import("../../live");
  const options: import("../../live").EngineAuditOptions = { containers: inputs.containers ?? [] };
  if (inputs.host) options.host = inputs.host;
  if (inputs.daemonConfigFile) options.daemonConfigFile = inputs.daemonConfigFile;
  const { snapshot, findings } = await live.auditEngine(options);
  const failRank = SEVERITY_ORDER.indexOf(inputs.failOn);
  const ordered = [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(b.severity) - SEVERITY_ORDER.indexOf(a.severity) || a.file.localeCompare(b.file),
  );
  const blocking = ordered.filter((f) => SEVERITY_ORDER.indexOf(f.severity) >= failRank);
  const where = inputs.host ?? "the local engine";
  if (blocking.length > 0) {
    const lines = blocking
      .slice(0, 20)
      .map((f) => `  [${f.severity}] ${f.ruleId}: ${f.message} (${f.object})`);
    const more = blocking.length > 20 ? `\n  … and ${blocking.length - 20} more` : "";
    throw new Error(
      `DaemonAudit: ${blocking.length} finding(s) at or above "${inputs.failOn}" on ${where}:\n${lines.join("\n")}${more}\n` +
        "Fix them (`shipshape audit --docker` lists every finding, `shipshape daemon-config` writes a hardened daemon.json) or raise failOn.",
    );
  }
  const fingerprint = createHash("sha256")
    .update(JSON.stringify(ordered.map((f) => [f.ruleId, f.file, f.message])))
    .digest("hex")
    .slice(0, 16);
  return {
    ...inputs,
    engine: snapshot.engine,
    serverVersion: snapshot.serverVersion ?? "",
    counts: live.countBySeverity(findings),
    total: findings.length,
    blocking: 0,
    findings: ordered.slice(0, FINDINGS_KEPT).map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      object: f.object,
      file: f.file,
      message: f.message,
    })),
    fingerprint,
    notes: snapshot.notes,
  };
}

function sameInputs(olds: DaemonAuditOutputs, news: DaemonAuditInputs): string[] {
  const changed: string[] = [];
  if ((olds.host ?? "") !== (news.host ?? "")) changed.push("host");
  if ((olds.daemonConfigFile ?? "") !== (news.daemonConfigFile ?? "")) changed.push("daemonConfigFile");
  if (olds.failOn !== news.failOn) changed.push("failOn");
  if (JSON.stringify(olds.containers ?? []) !== JSON.stringify(news.containers ?? []))
    changed.push("containers");
  return changed;
}

/**
 * The dynamic provider of `DaemonAudit`. `diff` re-audits the engine so that drift (a new
 * privileged container, a weakened daemon.json) makes the next `pulumi up` run the gate again;
 * an engine it cannot reach also counts as a change, so `up` fails loudly instead of passing.
 */
export const daemonAuditProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: DaemonAuditInputs, news: DaemonAuditInputs) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!SEVERITY_ORDER.includes(news.failOn)) {
      failures.push({
        property: "failOn",
        reason: `failOn: got ${JSON.stringify(news.failOn)}; use one of ${SEVERITY_ORDER.join(", ")}`,
      });
    }
    return { inputs: news, failures };
  },

  async create(inputs: DaemonAuditInputs) {
    const outs = await runDaemonAudit(inputs);
    return { id: `daemon-audit-${outs.engine}`, outs };
  },

  async diff(_id: string, olds: DaemonAuditOutputs, news: DaemonAuditInputs) {
    const changed = sameInputs(olds, news);
    if (changed.length > 0) return { changes: true, replaces: [], deleteBeforeReplace: false };
    try {
      const now = await runDaemonAudit(news);
      return { changes: now.fingerprint !== olds.fingerprint };
    } catch {
      // Unreachable engine or findings over the threshold: let `update` fail the deployment.
      return { changes: true };
    }
  },

  async update(_id: string, _olds: DaemonAuditOutputs, news: DaemonAuditInputs) {
    return { outs: await runDaemonAudit(news) };
  },

  async delete() {
    // An audit leaves nothing behind.
  },
};
