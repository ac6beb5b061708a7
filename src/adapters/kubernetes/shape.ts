/**
 * The shape of the fields shipshape reads from Kubernetes objects, checked before mapping.
 *
 * Why: the mapping reads values tolerantly (a wrong type reads as absent), which on its own
 * would audit a Pod whose `spec` is a list as an empty pod and report nothing. The API server
 * rejects such an object, so shipshape reports it as invalid input, at the offending field,
 * instead of auditing something that cannot exist. Only the fields the rules read are
 * described; other fields are left to the API server. `null` means unset, as it does there.
 */
import type { SourcePath } from "../yaml-source";

type Shape =
  | { type: "string" }
  | { type: "boolean" }
  | { type: "integer"; min: number; max?: number }
  /** Kubernetes IntOrString (`targetPort: 8080` or `targetPort: http`). */
  | { type: "int-or-string" }
  | { type: "object"; fields: Record<string, Shape> }
  | { type: "list"; item: Shape }
  | { type: "map"; value: Shape }
  | { type: "any" };

const string: Shape = { type: "string" };
const boolean: Shape = { type: "boolean" };
const any: Shape = { type: "any" };
const nonNegative: Shape = { type: "integer", min: 0 };
const port: Shape = { type: "integer", min: 0, max: 65535 };
const object = (fields: Record<string, Shape>): Shape => ({ type: "object", fields });
const list = (item: Shape): Shape => ({ type: "list", item });
const stringMap: Shape = { type: "map", value: string };

const METADATA = object({
  name: string,
  generateName: string,
  namespace: string,
  labels: stringMap,
  annotations: stringMap,
});
const PROFILE = object({ type: string, localhostProfile: string });
const SELINUX = object({ user: string, role: string, type: string, level: string });
const WINDOWS = object({ hostProcess: boolean });

const CONTAINER_SECURITY = object({
  privileged: boolean,
  allowPrivilegeEscalation: boolean,
  runAsUser: nonNegative,
  runAsGroup: nonNegative,
  runAsNonRoot: boolean,
  readOnlyRootFilesystem: boolean,
  capabilities: object({ add: list(string), drop: list(string) }),
  seccompProfile: PROFILE,
  appArmorProfile: PROFILE,
  seLinuxOptions: SELINUX,
  procMount: string,
  windowsOptions: WINDOWS,
});

const POD_SECURITY = object({
  runAsUser: nonNegative,
  runAsGroup: nonNegative,
  runAsNonRoot: boolean,
  fsGroup: nonNegative,
  supplementalGroups: list(nonNegative),
  seccompProfile: PROFILE,
  appArmorProfile: PROFILE,
  seLinuxOptions: SELINUX,
  sysctls: list(object({ name: string, value: string })),
  windowsOptions: WINDOWS,
});

const NETWORK_CALL = object({ host: string, port: { type: "int-or-string" } });
const HANDLER = object({ httpGet: NETWORK_CALL, tcpSocket: NETWORK_CALL });

const CONTAINER = object({
  name: string,
  image: string,
  imagePullPolicy: string,
  command: list(string),
  args: list(string),
  env: list(object({ name: string, value: string, valueFrom: object({}) })),
  envFrom: list(object({ secretRef: object({ name: string }) })),
  ports: list(object({ containerPort: port, hostPort: port, hostIP: string, protocol: string })),
  securityContext: CONTAINER_SECURITY,
  resources: object({ limits: { type: "map", value: any }, requests: { type: "map", value: any } }),
  livenessProbe: HANDLER,
  readinessProbe: HANDLER,
  startupProbe: HANDLER,
  lifecycle: object({ postStart: HANDLER, preStop: HANDLER }),
  volumeMounts: list(
    object({ name: string, mountPath: string, readOnly: boolean, mountPropagation: string }),
  ),
});

const POD_SPEC = object({
  containers: list(CONTAINER),
  initContainers: list(CONTAINER),
  ephemeralContainers: list(CONTAINER),
  securityContext: POD_SECURITY,
  hostNetwork: boolean,
  hostPID: boolean,
  hostIPC: boolean,
  hostUsers: boolean,
  os: object({ name: string }),
  serviceAccountName: string,
  serviceAccount: string,
  automountServiceAccountToken: boolean,
  restartPolicy: string,
  volumes: list(object({ name: string, hostPath: object({ path: string }) })),
});

const SELECTOR = object({
  matchLabels: stringMap,
  matchExpressions: list(object({ key: string, operator: string, values: list(string) })),
});

const OBJECT_SHAPES: Record<string, Shape> = {
  Service: object({
    metadata: METADATA,
    spec: object({
      type: string,
      selector: stringMap,
      externalIPs: list(string),
      ports: list(object({ port, nodePort: port, targetPort: { type: "int-or-string" }, protocol: string })),
    }),
  }),
  NetworkPolicy: object({
    metadata: METADATA,
    spec: object({ podSelector: SELECTOR, policyTypes: list(string), ingress: list(any), egress: list(any) }),
  }),
  ServiceAccount: object({ metadata: METADATA, automountServiceAccountToken: boolean }),
  Namespace: object({ metadata: METADATA }),
  Secret: object({ metadata: METADATA, type: string, data: stringMap, stringData: stringMap }),
};

const RBAC_RULES = list(
  object({
    apiGroups: list(string),
    resources: list(string),
    verbs: list(string),
    nonResourceURLs: list(string),
    resourceNames: list(string),
  }),
);
for (const kind of ["Role", "ClusterRole"])
  OBJECT_SHAPES[kind] = object({ metadata: METADATA, rules: RBAC_RULES });
for (const kind of ["RoleBinding", "ClusterRoleBinding"]) {
  OBJECT_SHAPES[kind] = object({
    metadata: METADATA,
    roleRef: object({ kind: string, name: string }),
    subjects: list(object({ kind: string, name: string, namespace: string })),
  });
}

/** The shape of a workload object whose pod template sits at `template`. */
function workloadShape(template: readonly string[]): Shape {
  // Built inside out: the pod's metadata and spec, wrapped in the template's parent objects.
  let shape = object({ metadata: METADATA, spec: POD_SPEC });
  for (let i = template.length - 1; i >= 0; i--) {
    const fields: Record<string, Shape> = { [template[i] as string]: shape };
    // The fields of the object's `spec`: `replicas` is read there.
    if (i === 1 && template[0] === "spec") fields.replicas = nonNegative;
    // The object's own metadata, beside a nested template.
    if (i === 0) fields.metadata = METADATA;
    shape = object(fields);
  }
  return shape;
}

/** One field that does not have the type the API requires. */
export interface ShapeProblem {
  path: SourcePath;
  message: string;
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return JSON.stringify(v);
}

const EXPECTED: Record<Shape["type"], string> = {
  string: "a string",
  boolean: "true or false",
  integer: "an integer",
  "int-or-string": "an integer or a name",
  object: "a mapping",
  list: "a list",
  map: "a mapping",
  any: "a value",
};

function fail(out: ShapeProblem[], path: SourcePath, expected: string, value: unknown): void {
  out.push({ path: [...path], message: `expected ${expected}, got ${describeValue(value)}` });
}

function integerRange(shape: { min: number; max?: number }): string {
  return shape.max === undefined
    ? `an integer ≥ ${shape.min}`
    : `an integer from ${shape.min} to ${shape.max}`;
}

/**
 * Checks `value` against `shape`. `path` is one array pushed and popped along the walk (every
 * object is checked, so no path is allocated unless a problem is found).
 */
function check(value: unknown, shape: Shape, path: SourcePath, out: ShapeProblem[]): void {
  if (value === null || value === undefined) return;
  switch (shape.type) {
    case "any":
      return;
    case "string":
      if (typeof value === "object") fail(out, path, EXPECTED.string, value);
      return;
    case "boolean":
      if (typeof value !== "boolean") fail(out, path, EXPECTED.boolean, value);
      return;
    case "integer":
      if (
        typeof value !== "number" ||
        !Number.isInteger(value) ||
        value < shape.min ||
        (shape.max !== undefined && value > shape.max)
      ) {
        fail(out, path, integerRange(shape), value);
      }
      return;
    case "int-or-string":
      if (typeof value !== "string" && !(typeof value === "number" && Number.isInteger(value))) {
        fail(out, path, EXPECTED["int-or-string"], value);
      }
      return;
    case "list":
      if (!Array.isArray(value)) {
        fail(out, path, EXPECTED.list, value);
        return;
      }
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        check(value[i], shape.item, path, out);
        path.pop();
      }
      return;
    case "map":
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) {
        fail(out, path, EXPECTED.object, value);
        return;
      }
      const record = value as Record<string, unknown>;
      for (const key in record) {
        const field =
          shape.type === "map"
            ? shape.value
            : Object.hasOwn(shape.fields, key)
              ? shape.fields[key]
              : undefined;
        if (!field || !Object.hasOwn(record, key)) continue;
        path.push(key);
        check(record[key], field, path, out);
        path.pop();
      }
      return;
    }
  }
}

/**
 * The fields of a Kubernetes object at `root` that the API server would reject, for a workload
 * (pod template at `template`) or a modelled kind; empty when the object is well formed.
 */
export function shapeProblems(
  value: Record<string, unknown>,
  root: SourcePath,
  target: { template: readonly string[] } | { kind: string },
): ShapeProblem[] {
  const shape = "template" in target ? workloadShape(target.template) : OBJECT_SHAPES[target.kind];
  const out: ShapeProblem[] = [];
  if (shape) check(value, shape, [...root], out);
  return out;
}
