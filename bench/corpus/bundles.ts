import type { CorpusFile, CorpusFormat } from "./format";
import { Random } from "./random";

/**
 * Operator install bundles: a few very large files, each many CustomResourceDefinitions (deep
 * OpenAPI schemas with long descriptions, enums and CEL validation rules, which start with `!`
 * or hold `!=`) followed by the operator's Namespace, ServiceAccount, RBAC, Service and
 * Deployment, as `kubectl apply -f install.yaml` bundles are shipped. About 1.2 MB a file.
 */
const WORDS = [
  "the",
  "resource",
  "controller",
  "reconciles",
  "field",
  "must",
  "be",
  "set",
  "when",
  "listener",
  "route",
  "refers",
  "to",
  "namespace",
  "value",
  "is",
  "defaulted",
  "by",
  "implementations",
  "may",
  "support",
  "this",
  "feature",
  "optional",
];

function sentence(r: Random, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(r.pick(WORDS));
  return `${out.join(" ")}.`;
}

function pad(n: number): string {
  return " ".repeat(n);
}

/** One schema property of `depth` levels below, as lines at `at` spaces. */
function property(r: Random, name: string, depth: number, at: number, out: string[]): void {
  out.push(`${pad(at)}${name}:`);
  out.push(`${pad(at + 2)}description: |-`);
  for (let i = 0; i < r.int(1, 4); i++) out.push(`${pad(at + 4)}${sentence(r, r.int(6, 16))}`);
  if (depth === 0 || r.chance(0.3)) {
    const type = r.pick(["string", "integer", "boolean"]);
    out.push(`${pad(at + 2)}type: ${type}`);
    if (type === "string" && r.chance(0.3)) {
      out.push(`${pad(at + 2)}enum:`);
      for (const v of ["Exact", "PathPrefix", "RegularExpression"]) out.push(`${pad(at + 2)}- ${v}`);
    }
    if (type === "string" && r.chance(0.3)) out.push(`${pad(at + 2)}maxLength: ${r.int(16, 253)}`);
    if (type === "integer") out.push(`${pad(at + 2)}format: int32`, `${pad(at + 2)}minimum: 0`);
    return;
  }
  out.push(`${pad(at + 2)}type: object`, `${pad(at + 2)}properties:`);
  const children = r.int(2, 5);
  for (let i = 0; i < children; i++) property(r, `${name}Field${i}`, depth - 1, at + 4, out);
  if (r.chance(0.5)) {
    out.push(`${pad(at + 2)}x-kubernetes-validations:`);
    out.push(`${pad(at + 2)}- message: ${name}Field0 must be set when ${name}Field1 is`);
    out.push(`${pad(at + 4)}rule: '!has(self.${name}Field1) || has(self.${name}Field0)'`);
    out.push(`${pad(at + 2)}- message: ${name}Field0 and ${name}Field1 differ`);
    out.push(`${pad(at + 4)}rule: >-`);
    out.push(`${pad(at + 6)}has(self.${name}Field0) ? self.${name}Field0`);
    out.push(`${pad(at + 6)}!= self.${name}Field1 : true`);
  }
}

function crd(r: Random, bundle: number, index: number): string {
  const kind = `Widget${bundle}x${index}`;
  const out = [
    "apiVersion: apiextensions.k8s.io/v1",
    "kind: CustomResourceDefinition",
    "metadata:",
    `  name: ${kind.toLowerCase()}s.bundle${bundle}.example.com`,
    "  annotations:",
    `    bundle.example.com/version: v1.${bundle}.${index}`,
    "spec:",
    `  group: bundle${bundle}.example.com`,
    "  names:",
    `    kind: ${kind}`,
    `    listKind: ${kind}List`,
    `    plural: ${kind.toLowerCase()}s`,
    `    singular: ${kind.toLowerCase()}`,
    "  scope: Namespaced",
    "  versions:",
    "  - name: v1",
    "    served: true",
    "    storage: true",
    "    subresources:",
    "      status: {}",
    "    schema:",
    "      openAPIV3Schema:",
    "        type: object",
    "        properties:",
  ];
  property(r, "spec", 5, 10, out);
  property(r, "status", 3, 10, out);
  return out.join("\n");
}

function operator(bundle: number): string {
  const ns = `bundle-${bundle}-system`;
  return [
    "apiVersion: v1",
    "kind: Namespace",
    "metadata:",
    `  name: ${ns}`,
    "---",
    "apiVersion: v1",
    "kind: ServiceAccount",
    "metadata:",
    "  name: controller",
    `  namespace: ${ns}`,
    "---",
    "apiVersion: rbac.authorization.k8s.io/v1",
    "kind: ClusterRole",
    "metadata:",
    `  name: bundle-${bundle}-controller`,
    "rules:",
    `- apiGroups: [bundle${bundle}.example.com]`,
    '  resources: ["*"]',
    "  verbs: [get, list, watch, update, patch]",
    '- apiGroups: [""]',
    "  resources: [secrets]",
    "  verbs: [get, list, watch]",
    "---",
    "apiVersion: rbac.authorization.k8s.io/v1",
    "kind: ClusterRoleBinding",
    "metadata:",
    `  name: bundle-${bundle}-controller`,
    "roleRef:",
    "  apiGroup: rbac.authorization.k8s.io",
    "  kind: ClusterRole",
    `  name: bundle-${bundle}-controller`,
    "subjects:",
    "- kind: ServiceAccount",
    "  name: controller",
    `  namespace: ${ns}`,
    "---",
    "apiVersion: v1",
    "kind: Service",
    "metadata:",
    "  name: webhook",
    `  namespace: ${ns}`,
    "spec:",
    "  selector: {app: controller}",
    "  ports:",
    "  - port: 443",
    "    targetPort: 9443",
    "---",
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: controller",
    `  namespace: ${ns}`,
    "spec:",
    "  replicas: 1",
    "  selector:",
    "    matchLabels: {app: controller}",
    "  template:",
    "    metadata:",
    "      labels: {app: controller}",
    "    spec:",
    "      serviceAccountName: controller",
    "      securityContext:",
    "        runAsNonRoot: true",
    "        seccompProfile: {type: RuntimeDefault}",
    "      containers:",
    "      - name: manager",
    `        image: registry.example.com/bundle-${bundle}/controller:v1.${bundle}.0`,
    "        args: [--leader-elect, --metrics-bind-address=:8080]",
    "        ports:",
    "        - containerPort: 9443",
    "        resources:",
    "          limits: {cpu: 500m, memory: 256Mi}",
    "          requests: {cpu: 10m, memory: 64Mi}",
    "        securityContext:",
    "          allowPrivilegeEscalation: false",
    "          readOnlyRootFilesystem: true",
    "          capabilities: {drop: [ALL]}",
  ].join("\n");
}

export const bundlesCorpus: CorpusFormat = {
  name: "bundles",
  family: "kubernetes",
  count: 11,
  revision: 1,
  filesPerSecondTarget: undefined,
  generate(index: number): CorpusFile {
    const r = new Random(0xb0d1e + index);
    const docs: string[] = [];
    let size = 0;
    for (let i = 0; size < 1_200_000; i++) {
      const doc = crd(r, index, i);
      size += doc.length;
      docs.push(doc);
    }
    docs.push(operator(index));
    return {
      path: `bundle-${String(index).padStart(2, "0")}/install.yaml`,
      text: `${docs.join("\n---\n")}\n`,
    };
  },
};
