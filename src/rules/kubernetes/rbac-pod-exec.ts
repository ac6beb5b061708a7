/**
 * Why: `pods/exec` and `pods/attach` run commands inside other workloads' containers (with
 * their service account tokens and Secrets), and `nodes/proxy` reaches the kubelet API, which
 * can exec into any pod on the node. The WebSocket form of exec is authorized with `get`, so
 * `get` counts as well as `create`.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { grants, matchedVerbs, roleLabel, rulesGranting } from "./rbac";

const VERBS = ["create", "get"];

export const rbacPodExec = defineRule({
  id: "rbac-pod-exec",
  title: "Roles do not allow exec/attach into pods or the kubelet proxy",
  severity: "high",
  rationale:
    "Exec and attach run arbitrary commands in other pods, taking over their identities and secrets; nodes/proxy gives the same through the kubelet for every pod on a node.",
  remediation:
    "Remove pods/exec, pods/attach and nodes/proxy from the role; give humans time-bound access through a separate, audited role instead of a workload's service account.",
  references: {
    checkov: ["CKV2_K8S_2"],
    polaris: ["clusterrolePodExecAttach", "rolePodExecAttach"],
  },
  differences: [
    {
      framework: "polaris",
      id: "clusterrolebindingPodExecAttach",
      note: "reports the ClusterRole that allows exec/attach (once, at its rule) rather than each binding of it: the role is where the permission is written and removed.",
    },
    {
      framework: "polaris",
      id: "rolebindingClusterRolePodExecAttach",
      note: "reports the ClusterRole that allows exec/attach rather than each RoleBinding of it.",
    },
    {
      framework: "polaris",
      id: "rolebindingRolePodExecAttach",
      note: "reports the Role that allows exec/attach rather than each RoleBinding of it.",
    },
    {
      framework: "checkov",
      id: "CKV2_K8S_2",
      note: "also counts `get` on pods/exec and pods/attach (the WebSocket form of exec is authorized with get), and reads `*/exec`, `pods/*` and `*/*` as granting exec.",
    },
  ],
  targets: ["role"],
  platforms: PlatformScope.Kubernetes,
  check(role) {
    const out: Violation[] = [];
    for (const { rule, path } of rulesGranting(role, {
      apiGroups: [""],
      resources: ["pods/exec", "pods/attach", "nodes/proxy"],
      verbs: VERBS,
    })) {
      // Polaris looks at exec/attach, per role kind; Checkov at `create` on exec or nodes/proxy.
      const execOrAttach = grants(rule, {
        apiGroups: [""],
        resources: ["pods/exec", "pods/attach"],
        verbs: VERBS,
      });
      const creates = grants(rule, {
        apiGroups: [""],
        resources: ["pods/exec", "nodes/proxy"],
        verbs: ["create"],
      });
      out.push({
        path,
        message: `${roleLabel(role)} allows ${matchedVerbs(rule, VERBS)} on ${rule.resources.join(", ")}, which runs commands inside other pods; remove it`,
        references: {
          polaris: execOrAttach ? [role.clusterWide ? "clusterrolePodExecAttach" : "rolePodExecAttach"] : [],
          checkov: creates ? ["CKV2_K8S_2"] : [],
        },
      });
    }
    return out;
  },
});
