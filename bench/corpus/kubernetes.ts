import type { CorpusFile, CorpusFormat } from "./format";
import { Random } from "./random";

const APPS = ["shop", "cart", "auth", "search", "billing", "mail", "queue", "report", "media", "gateway"];
const IMAGES = [
  "registry.example.com/team/app:1.4.2",
  "registry.example.com/team/api@sha256:3f4d5e6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e",
  "nginx:latest",
  "busybox",
  "postgres:16.4",
  "redis:7.2-alpine",
];
const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"] as const;

function indent(text: string, spaces: number): string {
  const pad = " ".repeat(spaces);
  return text
    .split("\n")
    .map((l) => (l === "" ? l : pad + l))
    .join("\n");
}

/** A container: hardened most of the time, with one of a few typical mistakes otherwise. */
function container(r: Random, name: string): string {
  const lines = [`- name: ${name}`, `  image: ${r.pick(IMAGES)}`];
  if (r.chance(0.3)) lines.push("  imagePullPolicy: Always");
  lines.push("  ports:", `    - containerPort: ${r.pick([80, 8080, 8443, 5432, 6379])}`);
  if (r.chance(0.1)) lines.push(`      hostPort: ${r.int(30000, 32000)}`);
  if (r.chance(0.5)) {
    lines.push("  env:");
    for (let i = 0; i < r.int(1, 4); i++)
      lines.push(`    - name: SETTING_${i}`, `      value: "${r.int(1, 999)}"`);
  }
  const sc: string[] = [];
  if (r.chance(0.08)) sc.push("privileged: true");
  else sc.push(`allowPrivilegeEscalation: ${r.chance(0.85) ? "false" : "true"}`);
  if (r.chance(0.8)) sc.push("readOnlyRootFilesystem: true");
  if (r.chance(0.8)) sc.push("runAsNonRoot: true", `runAsUser: ${r.int(1000, 65000)}`);
  if (r.chance(0.8)) sc.push("capabilities:", "  drop: [ALL]");
  else if (r.chance(0.3)) sc.push("capabilities:", "  add: [NET_ADMIN, SYS_TIME]");
  if (r.chance(0.7)) sc.push("seccompProfile:", "  type: RuntimeDefault");
  lines.push("  securityContext:", indent(sc.join("\n"), 4));
  if (r.chance(0.75)) {
    lines.push(
      "  resources:",
      "    requests: { cpu: 100m, memory: 128Mi }",
      `    limits: { cpu: "${r.int(1, 4)}", memory: ${r.pick(["256Mi", "512Mi", "1Gi"])} }`,
    );
  }
  if (r.chance(0.6)) {
    lines.push(
      "  livenessProbe:",
      "    httpGet: { path: /healthz, port: 8080 }",
      "  readinessProbe:",
      "    httpGet: { path: /ready, port: 8080 }",
    );
  }
  if (r.chance(0.4)) lines.push("  volumeMounts:", "    - name: data", "      mountPath: /var/lib/data");
  return lines.join("\n");
}

function podSpec(r: Random, app: string): string {
  const lines: string[] = [];
  if (r.chance(0.7)) lines.push(`serviceAccountName: ${app}`, "automountServiceAccountToken: false");
  if (r.chance(0.05)) lines.push("hostNetwork: true");
  if (r.chance(0.03)) lines.push("hostPID: true");
  if (r.chance(0.6)) lines.push("securityContext:", "  runAsNonRoot: true", "  fsGroup: 2000");
  if (r.chance(0.3)) lines.push("initContainers:", indent(container(r, "init"), 2));
  lines.push("containers:");
  for (let i = 0; i < r.int(1, 3); i++) lines.push(indent(container(r, i === 0 ? app : `sidecar-${i}`), 2));
  lines.push("volumes:");
  if (r.chance(0.06)) lines.push("  - name: data", "    hostPath: { path: /var/lib/data }");
  else lines.push("  - name: data", "    emptyDir: {}");
  return lines.join("\n");
}

function metadata(r: Random, name: string, ns: string, extra = ""): string {
  const lines = ["metadata:", `  name: ${name}`, `  namespace: ${ns}`, "  labels:", `    app: ${name}`];
  if (r.chance(0.3)) lines.push("    tier: backend");
  if (r.chance(0.05))
    lines.push("  annotations:", '    shipshape.io/suppress.host-network: "node-level proxy needs it"');
  return lines.join("\n") + extra;
}

function workload(r: Random, kind: (typeof WORKLOAD_KINDS)[number], name: string, ns: string): string {
  const head = [
    `apiVersion: ${kind === "Pod" ? "v1" : kind === "Job" || kind === "CronJob" ? "batch/v1" : "apps/v1"}`,
    `kind: ${kind}`,
    metadata(r, name, ns),
  ];
  const template = [
    "template:",
    "  metadata:",
    "    labels:",
    `      app: ${name}`,
    "  spec:",
    indent(podSpec(r, name), 4),
  ].join("\n");
  switch (kind) {
    case "Pod":
      return [...head, "spec:", indent(podSpec(r, name), 2)].join("\n");
    case "Job":
      return [...head, "spec:", "  backoffLimit: 3", indent(template, 2)].join("\n");
    case "CronJob":
      return [
        ...head,
        "spec:",
        '  schedule: "*/15 * * * *"',
        "  jobTemplate:",
        "    spec:",
        indent(template, 6),
      ].join("\n");
    default:
      return [
        ...head,
        "spec:",
        ...(kind === "DaemonSet" ? [] : [`  replicas: ${r.int(1, 5)}`]),
        "  selector:",
        "    matchLabels:",
        `      app: ${name}`,
        indent(template, 2),
      ].join("\n");
  }
}

function service(r: Random, name: string, ns: string): string {
  return [
    "apiVersion: v1",
    "kind: Service",
    metadata(r, name, ns),
    "spec:",
    `  type: ${r.chance(0.1) ? "NodePort" : "ClusterIP"}`,
    "  selector:",
    `    app: ${name}`,
    "  ports:",
    "    - port: 80",
    "      targetPort: 8080",
  ].join("\n");
}

function rbac(r: Random, name: string, ns: string): string {
  const verbs = r.chance(0.1) ? '["*"]' : '["get", "list", "watch"]';
  const resources = r.chance(0.1) ? '["secrets"]' : '["configmaps", "pods"]';
  return [
    [
      "apiVersion: v1",
      "kind: ServiceAccount",
      metadata(r, name, ns),
      "automountServiceAccountToken: false",
    ].join("\n"),
    [
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: Role",
      metadata(r, `${name}-reader`, ns),
      "rules:",
      '  - apiGroups: [""]',
      `    resources: ${resources}`,
      `    verbs: ${verbs}`,
    ].join("\n"),
    [
      "apiVersion: rbac.authorization.k8s.io/v1",
      "kind: RoleBinding",
      metadata(r, `${name}-reader`, ns),
      "roleRef:",
      "  apiGroup: rbac.authorization.k8s.io",
      "  kind: Role",
      `  name: ${name}-reader`,
      "subjects:",
      "  - kind: ServiceAccount",
      `    name: ${name}`,
      `    namespace: ${ns}`,
    ].join("\n"),
  ].join("\n---\n");
}

function networkPolicy(r: Random, name: string, ns: string): string {
  return [
    "apiVersion: networking.k8s.io/v1",
    "kind: NetworkPolicy",
    metadata(r, `${name}-ingress`, ns),
    "spec:",
    "  podSelector:",
    "    matchLabels:",
    `      app: ${name}`,
    "  policyTypes: [Ingress]",
    "  ingress:",
    "    - from:",
    "        - podSelector:",
    "            matchLabels:",
    "              app: gateway",
  ].join("\n");
}

/**
 * Kubernetes manifests: mostly one workload per file (some with its Service in the same
 * file), plus Services, RBAC sets and NetworkPolicies alone; about one file in four has at
 * least one violation.
 */
export const kubernetesCorpus: CorpusFormat = {
  name: "kubernetes",
  family: "kubernetes",
  count: 10_000,
  filesPerSecondTarget: 2_000,
  revision: 1,
  generate(index: number): CorpusFile {
    const r = new Random(0x5eed + index);
    const app = `${r.pick(APPS)}-${index}`;
    const ns = `team-${index % 17}`;
    const shape = r.next();
    let text: string;
    let stem: string;
    if (shape < 0.6) {
      const kind = r.pick(WORKLOAD_KINDS);
      text = workload(r, kind, app, ns);
      if (kind !== "Job" && kind !== "CronJob" && r.chance(0.4)) text += `\n---\n${service(r, app, ns)}`;
      stem = kind.toLowerCase();
    } else if (shape < 0.75) {
      text = service(r, app, ns);
      stem = "service";
    } else if (shape < 0.9) {
      text = rbac(r, app, ns);
      stem = "rbac";
    } else {
      text = networkPolicy(r, app, ns);
      stem = "networkpolicy";
    }
    const dir = `ns-${String(index % 50).padStart(2, "0")}`;
    return {
      path: `${dir}/${String(index).padStart(5, "0")}-${stem}-${app}.yaml`,
      text: `# generated: ${stem}\n${text}\n`,
    };
  },
};
