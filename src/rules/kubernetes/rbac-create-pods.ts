/**
 * Why: whoever can create a pod chooses its service account, mounts and security context, so
 * they can run as any service account of the namespace and mount any of its Secrets — and,
 * without Pod Security admission, become root on a node. Creating a controller that makes pods
 * (Deployment, Job, …) is the same power one step removed.
 */
import { defineRule, PlatformScope, type Violation } from "../rule";
import { grants, matchedVerbs, type Permission, roleLabel } from "./rbac";

const CREATE = ["create"];

const POD_MAKERS: Permission[] = [
  { apiGroups: [""], resources: ["pods", "replicationcontrollers"], verbs: CREATE },
  {
    apiGroups: ["apps"],
    resources: ["deployments", "statefulsets", "daemonsets", "replicasets"],
    verbs: CREATE,
  },
  { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: CREATE },
];

export const rbacCreatePods = defineRule({
  id: "rbac-create-pods",
  title: "Roles do not allow creating pods or pod controllers",
  severity: "medium",
  rationale:
    "Creating a pod (directly or through a Deployment, Job, DaemonSet…) lets the holder run code as any service account of the namespace and mount any of its Secrets or volumes.",
  remediation:
    "Leave pod creation to the CI/CD identity that deploys the application; workloads' service accounts should not create pods or controllers.",
  references: {
    kubeLinter: ["access-to-create-pods"],
  },
  targets: ["role"],
  platforms: PlatformScope.Kubernetes,
  check(role) {
    const out: Violation[] = [];
    role.rules.forEach((rule, i) => {
      if (!POD_MAKERS.some((p) => grants(rule, p))) return;
      out.push({
        path: `rules.${i}`,
        message: `${roleLabel(role)} allows ${matchedVerbs(rule, CREATE)} on ${rule.resources.join(", ")}, which lets it run pods as any service account in scope; remove it`,
      });
    });
    return out;
  },
});
