import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * A tree whose findings depend on other files: NetworkPolicies, ServiceAccounts, roles and a
 * daemon.json in files of their own, next to the workloads, bindings, namespaces and Compose
 * services they decide about; plus what orders and counts must survive (several documents per
 * file, JSON with an escaped kind, suppressions used and unused, a parse error, a kind no rule
 * checks, a file that is skipped, identical objects in many files). Written into `dir`.
 */
export function writeCrossFileCorpus(dir: string, copies = 6): void {
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  for (let i = 0; i < copies; i++) {
    const ns = `team-${i % 3}`;
    write(
      `k8s/${ns}/deploy-${i}.yaml`,
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  namespace: ${ns}
  annotations:
    shipshape.io/suppress.cpu-limits: "the node pool is dedicated to this team"
    shipshape.io/suppress.image-digest: "pinned by the deploy pipeline"
spec:
  selector:
    matchLabels: { app: web-${i % 2} }
  template:
    metadata:
      labels: { app: web-${i % 2} }
    spec:
      serviceAccountName: ${i % 2 === 0 ? "quiet" : "chatty"}
${i % 4 === 3 ? "      hostNetwork: true\n" : ""}      containers:
        - name: app
          image: registry.example.com/web:1.${i}
        - name: sidecar
          image: registry.example.com/proxy:latest
          securityContext: { privileged: ${i % 3 === 0} }
---
apiVersion: v1
kind: Service
metadata: { name: web-${i}, namespace: ${ns} }
spec:
  type: NodePort
  selector: { app: web-${i % 2} }
  ports: [{ port: 80 }]
`,
    );
    write(
      `k8s/${ns}/job-${i}.json`,
      JSON.stringify(
        {
          apiVersion: "batch/v1",
          kind: "Job",
          metadata: { name: `batch-${i}`, namespace: ns },
          spec: {
            template: {
              metadata: { labels: { app: "batch" } },
              spec: { containers: [{ name: "run", image: "busybox" }], restartPolicy: "Never" },
            },
          },
        },
        null,
        2,
      ),
    );
  }
  // The context, in files of their own (and one escaped kind a text search for the word misses).
  write(
    "policies/team-0.yaml",
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-0-ingress, namespace: team-0 }
spec:
  podSelector: { matchLabels: { app: web-0 } }
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: team-1 }
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`,
  );
  write(
    "policies/escaped.json",
    '{"apiVersion": "networking.k8s.io/v1", "kind": "Network\\u0050olicy", "metadata": {"name": "batch", "namespace": "team-2"}, "spec": {"podSelector": {"matchLabels": {"app": "batch"}}, "policyTypes": ["Ingress", "Egress"]}}\n',
  );
  write(
    "accounts.yaml",
    ["team-0", "team-1", "team-2"]
      .map(
        (ns) =>
          `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: quiet, namespace: ${ns} }\nautomountServiceAccountToken: false\n`,
      )
      .join("---\n"),
  );
  write(
    "rbac/roles.yaml",
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: everything }
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: reader, namespace: team-1 }
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["get", "list"]
`,
  );
  write(
    "rbac/bindings.yaml",
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ops-everything }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything }
subjects: [{ kind: Group, name: ops }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: admins, namespace: team-2 }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: User, name: alice }]
`,
  );
  write(
    "namespaces.yaml",
    ["team-0", "team-1", "team-2"]
      .map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${ns} }\n`)
      .join("---\n"),
  );
  // Docker: the daemon forbids privilege escalation for the Compose services.
  write("docker/daemon.json", '{ "no-new-privileges": true, "icc": false }\n');
  write(
    "docker/app/compose.yaml",
    `services:
  api:
    image: registry.example.com/api:2
    ports: ["8080:8080"]
  worker:
    image: registry.example.com/worker
    privileged: true
    labels:
      shipshape.io/suppress.privileged-container: "needs the GPU device nodes"
`,
  );
  write("docker/app/Dockerfile", "FROM node:22\nRUN npm ci\nUSER root\nCMD node server.js\n");
  // Errors, kinds no rule checks, and a file that is not a manifest.
  write("broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata: { name: [unclosed\n");
  write(
    "crd.yaml",
    "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: { name: web }\nspec: {}\n",
  );
  write("notes.txt", "not a manifest\n");
}
