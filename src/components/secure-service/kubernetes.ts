import { PlatformKind } from "../../platform/platform";
import { profileName } from "../runtime-profile/seccomp";
import type { KubernetesTarget } from "../target";
import { kubernetesMemory } from "../validation/quantities";
import { overrideRecords } from "./overrides";
import { kubernetesSecretParts } from "./secret-files";
import type { ServiceSpec } from "./spec";
import { kubernetesRefVolumes } from "./volume-refs";

/** Directory under the kubelet's seccomp root where shipshape's Localhost profiles live. */
export const LOCALHOST_PROFILE_DIR = "shipshape";

/** A Kubernetes object as plain data (what `kubectl apply` and the Pulumi provider both take). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are free-form below metadata
  [field: string]: any;
}

export interface KubernetesManifests {
  serviceAccount: Manifest;
  deployment: Manifest;
  service?: Manifest;
  podDisruptionBudget?: Manifest;
  networkPolicy?: Manifest;
  /** The service's secret files (`secretFiles`): an immutable Opaque Secret, its values as given (Inputs). */
  secret?: Manifest;
}

function resourceName(spec: ServiceSpec): Record<string, string> {
  return { "app.kubernetes.io/name": spec.name, "app.kubernetes.io/managed-by": "shipshape" };
}

/** The Kubernetes target of a spec, which must be one for Kubernetes. */
export function kubernetesTarget(spec: ServiceSpec): KubernetesTarget {
  if (spec.target.kind !== PlatformKind.Kubernetes)
    throw new Error(`SecureService ${spec.name} does not target Kubernetes`);
  return spec.target;
}

/**
 * The hardened Kubernetes objects of a service. The pod passes Pod Security `restricted`:
 * non-root uid, no privilege escalation, every capability dropped (NET_BIND_SERVICE at most
 * added), a seccomp profile, only emptyDir and PVC volumes, no host namespaces, and the
 * service account token not mounted.
 */
export function kubernetesManifests(spec: ServiceSpec): KubernetesManifests {
  const platform = kubernetesTarget(spec);
  const image = spec.image;
  const namespace = platform.namespace;
  const selector = { "app.kubernetes.io/name": spec.name, "app.kubernetes.io/instance": spec.name };
  const labels = { ...spec.labels, ...resourceName(spec), ...selector };
  const annotations = overrideRecords(spec.overrides, spec.overrideContext);
  const meta = (name: string) => {
    const m: Manifest["metadata"] = { name, namespace, labels: { ...labels } };
    if (Object.keys(annotations).length > 0) m.annotations = { ...annotations };
    return m;
  };
  const seccompProfile = platform.localhostSeccompProfiles
    ? {
        type: "Localhost",
        localhostProfile: `${LOCALHOST_PROFILE_DIR}/${profileName(spec.appType, spec.template)}.json`,
      }
    : { type: "RuntimeDefault" };

  const secretParts = kubernetesSecretParts(`${spec.name}-secrets`, spec.secretFiles);
  const volumes = [
    ...secretParts.volumes,
    ...spec.writablePaths.map((_, i) => ({
      name: `writable-${i}`,
      emptyDir: { sizeLimit: kubernetesMemory(spec.writablePathBytes) },
    })),
    ...spec.volumes.map((v) => ({
      name: `volume-${v.name}`,
      persistentVolumeClaim: { claimName: v.name, readOnly: v.readOnly },
    })),
  ];
  const volumeMounts = [
    ...secretParts.mounts,
    ...spec.writablePaths.map((p, i) => ({ name: `writable-${i}`, mountPath: p })),
    ...spec.volumes.map((v) => ({ name: `volume-${v.name}`, mountPath: v.mountPath, readOnly: v.readOnly })),
    ...spec.volumeRefs.map((v) => ({ name: `ref-${v.index}`, mountPath: v.mountPath, readOnly: v.readOnly })),
  ];
  const refVolumes =
    spec.volumeRefs.length === 0
      ? undefined
      : kubernetesRefVolumes(
          { name: spec.name, uid: spec.uid, gid: spec.gid, platform: PlatformKind.Kubernetes, namespace },
          spec.volumeRefs,
        );

  const h = spec.healthCheck;
  const probeAction = h.command
    ? { exec: { command: h.command } }
    : { httpGet: { path: h.httpGetPath, port: h.port } };
  const probe = (extra: Record<string, number>) => ({
    ...probeAction,
    periodSeconds: h.intervalSeconds,
    timeoutSeconds: h.timeoutSeconds,
    failureThreshold: h.retries,
    ...extra,
  });

  // biome-ignore lint/suspicious/noExplicitAny: built up field by field
  const container: Record<string, any> = {
    name: spec.name,
    image,
    imagePullPolicy: "Always",
    ports: spec.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol })),
    env: spec.env.map((e) => ({ name: e.name, value: e.value })),
    resources: {
      limits: { cpu: spec.resources.cpu, memory: spec.resources.memory, "ephemeral-storage": "1Gi" },
      requests: {
        cpu: spec.resources.cpuRequest,
        memory: spec.resources.memoryRequest,
        "ephemeral-storage": "64Mi",
      },
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: spec.uid,
      runAsGroup: spec.gid,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: spec.readOnlyRootFilesystem,
      capabilities:
        spec.capabilities.length > 0 ? { drop: ["ALL"], add: [...spec.capabilities] } : { drop: ["ALL"] },
      seccompProfile,
    },
    startupProbe: probe({
      failureThreshold: Math.max(h.retries, Math.ceil(h.startPeriodSeconds / h.intervalSeconds) + h.retries),
    }),
    livenessProbe: probe({}),
    readinessProbe: probe({}),
    volumeMounts,
  };
  if (spec.command) container.command = spec.command;
  if (spec.args) container.args = spec.args;

  const serviceAccount: Manifest = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: meta(spec.name),
    automountServiceAccountToken: false,
  };
  const deployment: Manifest = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: withAnnotations(meta(spec.name), overrideRecords(spec.overrides, spec.overrideContext, true)),
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: selector },
      template: {
        metadata:
          Object.keys(annotations).length > 0
            ? { labels: { ...labels }, annotations: { ...annotations } }
            : { labels: { ...labels } },
        spec: {
          serviceAccountName: spec.name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          hostNetwork: false,
          hostPID: false,
          hostIPC: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: spec.uid,
            runAsGroup: spec.gid,
            fsGroup: spec.gid,
            seccompProfile,
          },
          containers: [container],
          volumes: refVolumes ? refVolumes.apply((refs) => [...volumes, ...refs]) : volumes,
        },
      },
    },
  };
  const out: KubernetesManifests = { serviceAccount, deployment };
  if (spec.secretFiles.length > 0)
    out.secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: meta(`${spec.name}-secrets`),
      type: "Opaque",
      immutable: true,
      stringData: secretParts.data,
    };
  if (spec.ports.length > 0) {
    out.service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(spec.name),
      spec: {
        type: "ClusterIP",
        selector,
        ports: spec.ports.map((p) => ({
          name: p.name,
          port: p.hostPort,
          targetPort: p.name,
          protocol: p.protocol,
        })),
      },
    };
  }
  if (spec.podDisruptionBudgetMinAvailable !== undefined) {
    out.podDisruptionBudget = {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: meta(spec.name),
      spec: { minAvailable: spec.podDisruptionBudgetMinAvailable, selector: { matchLabels: selector } },
    };
  }
  if (spec.networkPolicy) {
    const peer = (c: ServiceSpec["ingressFrom"][number]) => {
      // biome-ignore lint/suspicious/noExplicitAny: NetworkPolicyPeer
      const p: Record<string, any> = { podSelector: { matchLabels: c.podLabels } };
      if (c.namespaceLabels) p.namespaceSelector = { matchLabels: c.namespaceLabels };
      return p;
    };
    const ingress = spec.ingressFrom.map((c) => ({
      from: [peer(c)],
      ports: (c.ports ?? spec.ports.map((p) => p.containerPort)).map((port) => ({ port, protocol: "TCP" })),
    }));
    const egress = spec.egressTo.map((c) => {
      // biome-ignore lint/suspicious/noExplicitAny: NetworkPolicyEgressRule
      const rule: Record<string, any> = { to: [peer(c)] };
      if (c.ports) rule.ports = c.ports.map((port) => ({ port, protocol: "TCP" }));
      return rule;
    });
    if (egress.length > 0) {
      // Name resolution, once the pod may talk to anyone at all.
      egress.push({
        to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [
          { port: 53, protocol: "UDP" },
          { port: 53, protocol: "TCP" },
        ],
      });
    }
    out.networkPolicy = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta(spec.name),
      spec: { podSelector: { matchLabels: selector }, policyTypes: ["Ingress", "Egress"], ingress, egress },
    };
  }
  return out;
}

function withAnnotations(
  metadata: Manifest["metadata"],
  extra: Record<string, string>,
): Manifest["metadata"] {
  const annotations = { ...(metadata.annotations ?? {}), ...extra };
  return Object.keys(annotations).length > 0 ? { ...metadata, annotations } : metadata;
}
