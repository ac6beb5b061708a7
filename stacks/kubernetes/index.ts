// The shipshape reference stack on Kubernetes: the services of stacks/docker (a web front and a
// background worker, their secrets, their encrypted state and their network segments) as
// SecureServices with a `kubernetes:` target, in a namespace that enforces Pod Security
// `restricted`.
//   bash scripts/cluster.sh up                     a loopback API server (kubeconfig in the cache)
//   pulumi config set kubernetes:kubeconfig ~/.cache/shipshape/cluster/kubeconfig
//   pulumi preview --policy-pack policy && pulumi up
// Config (all optional): namespace, image, prometheusImage, alertmanagerImage (digest references;
// no kubelet pulls them on the test control plane), apiKey (secret), sessionKeyVersion, storageClass (the class that encrypts the
// worker's claim at rest), audit (default true: a KubernetesAudit of the namespace once the
// services exist, failing `up` on a high finding), skipAwait (default true: the provider does not wait for readiness,
// which no Pod reaches without a kubelet; set false on a cluster with nodes).
// The provider is the stack's default kubernetes provider, configured by `kubernetes:kubeconfig`
// (or KUBECONFIG).
import { existsSync } from "node:fs";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  AppType,
  AuditSeverity,
  EncryptedVolume,
  KubernetesAudit,
  ObservabilityStack,
  ProfileTemplate,
  SecretStore,
  SecureService,
  SegmentedNetworks,
  VolumeKind,
} from "shipshape";

const config = new pulumi.Config();
const nsName = config.get("namespace") ?? "shipshape-ref";
const image =
  config.get("image") ??
  "127.0.0.1:5000/shipshape-ref/app@sha256:4b0d2c5a0e2f6c8d1a3b5e7f9c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d";
const prometheusImage =
  config.get("prometheusImage") ??
  "127.0.0.1:5000/shipshape-observability/prometheus@sha256:7c1e3a5b9d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c";
const alertmanagerImage =
  config.get("alertmanagerImage") ??
  "127.0.0.1:5000/shipshape-observability/alertmanager@sha256:3e5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e3a5c7b9d1f3e5a";
const labels = { "app.kubernetes.io/part-of": nsName };
// The monitoring stack's objects are named `${monitoringPrefix}-prometheus` and `-alertmanager`.
const monitoringPrefix = `${nsName}-obs`;

// Without a kubelet no Pod becomes ready: the provider's await logic would wait for it until its
// timeout. The annotation makes it take the object as created once the API server has it.
if (config.getBoolean("skipAwait") ?? true) {
  pulumi.runtime.registerResourceTransform((args) => {
    if (!args.type.startsWith("kubernetes:")) return undefined;
    const props = args.props as { metadata?: pulumi.Input<Record<string, unknown>> };
    const metadata = pulumi.output(props.metadata ?? {}).apply((m) => ({
      ...m,
      annotations: {
        ...((m.annotations as Record<string, string> | undefined) ?? {}),
        "pulumi.com/skipAwait": "true",
      },
    }));
    return { props: { ...args.props, metadata }, opts: args.opts };
  });
}

// The namespace enforces (and warns and audits at) Pod Security `restricted`: the API server
// refuses any Pod that does not meet it.
const namespace = new k8s.core.v1.Namespace("namespace", {
  metadata: {
    name: nsName,
    labels: {
      ...labels,
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "latest",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
    },
  },
});
const inNamespace = { dependsOn: [namespace] };
const kubernetes = { namespace: nsName };

const apiKey = config.getSecret("apiKey");
const store = new SecretStore("secrets", {
  secrets: [
    { name: "session-key", length: 32, version: config.getNumber("sessionKeyVersion") ?? 1 },
    apiKey ? { name: "api-key", value: apiKey } : { name: "api-key", length: 24 },
  ],
});

// The worker's state: a claim on the storage class that encrypts at rest.
const stateVolume = new EncryptedVolume(
  "worker-state",
  {
    kubernetes,
    kind: VolumeKind.Encrypted,
    storageClass: config.get("storageClass") ?? "encrypted",
    labels,
  },
  inNamespace,
);

// The topology: the web front faces the outside, the worker talks to no one.
const segments = new SegmentedNetworks(
  "segments",
  {
    kubernetes,
    prefix: nsName,
    tiers: [{ name: "edge", internal: false }, { name: "app" }],
    services: [
      { name: "web", tier: "edge", ports: [8080] },
      { name: "worker", tier: "app" },
    ],
  },
  inNamespace,
);

const web = new SecureService(
  "web",
  {
    kubernetes,
    image,
    command: ["/bin/httpd"],
    args: ["-f", "-p", "8080", "-h", "/www"],
    ports: [{ containerPort: 8080 }],
    healthCheck: { httpGetPath: "/", intervalSeconds: 10 },
    replicas: 2,
    podDisruptionBudgetMinAvailable: 1,
    // Prometheus scrapes the web front (below): its own policy lets exactly those pods in, on 8080.
    ingressFrom: [
      { podLabels: { "app.kubernetes.io/name": `${monitoringPrefix}-prometheus` }, ports: [8080] },
    ],
    resources: { cpu: "250m", memory: "64Mi", pids: 32 },
    runtimeProfile: { appType: AppType.Web, template: ProfileTemplate.Default },
    secretFiles: [{ value: store.value("session-key"), path: "/run/secrets/session-key" }],
    segment: { networks: segments.attachments, service: "web" },
    labels,
  },
  inNamespace,
);

const worker = new SecureService(
  "worker",
  {
    kubernetes,
    image,
    command: ["/bin/sh"],
    args: [
      "-c",
      'while true; do test -s /run/secrets/api-key && date > /tmp/heartbeat; echo "shipshape-worker-heartbeat $(date)" > /data/last-run; sleep 5; done',
    ],
    healthCheck: { command: ["/bin/test", "-f", "/tmp/heartbeat"], intervalSeconds: 10 },
    secretFiles: [{ value: store.value("api-key"), path: "/run/secrets/api-key" }],
    resources: { cpu: "100m", memory: "32Mi", pids: 16 },
    writablePaths: ["/tmp"],
    volumes: [{ volume: stateVolume.volumeRef, mountPath: "/data" }],
    runtimeProfile: { appType: AppType.Worker, template: ProfileTemplate.Strict },
    segment: { networks: segments.attachments, service: "worker" },
    labels,
  },
  { dependsOn: [namespace, stateVolume] },
);

// Metrics and alerts: Prometheus and Alertmanager as Deployments that pass Pod Security
// `restricted`, with NetworkPolicies that let Prometheus reach Alertmanager and the web front's
// pods (the scrape target's podLabels), and nothing else. The worker listens on no port.
const monitoring = new ObservabilityStack(
  "monitoring",
  {
    kubernetes,
    prefix: monitoringPrefix,
    prometheusImage,
    alertmanagerImage,
    scrapeTargets: [
      {
        job: "web",
        targets: [`web.${nsName}.svc:8080`],
        podLabels: { "app.kubernetes.io/name": "web" },
      },
    ],
    labels,
  },
  inNamespace,
);

// The live audit of what the namespace holds once the services are in it: the same rules as
// `shipshape audit --kubernetes`, failing the deployment on a high finding.
const kubeconfig = new pulumi.Config("kubernetes").get("kubeconfig");
const audit =
  (config.getBoolean("audit") ?? true)
    ? new KubernetesAudit(
        "audit",
        {
          // kubernetes:kubeconfig holds a path or the file's contents; the audit reads a path.
          ...(kubeconfig && existsSync(kubeconfig) ? { kubeconfig } : {}),
          namespace: nsName,
          failOn: AuditSeverity.High,
        },
        { dependsOn: [web, worker, segments, stateVolume, monitoring] },
      )
    : undefined;

/** What the live audit found (rule id and object), below failOn: none of it fails `up`. */
export const auditFindings = audit?.findings.apply((found) => found.map((f) => `${f.ruleId} ${f.file}`));
export const namespaceName = namespace.metadata.name;
export const deployments = pulumi.all([web.deploymentName, worker.deploymentName]);
/** The monitoring stack: where Prometheus and Alertmanager are reached in the cluster, and the alerts loaded. */
export const observability = {
  prometheus: monitoring.prometheusAddress,
  alertmanager: monitoring.alertmanagerAddress,
  alertNames: monitoring.alertNames,
};
export const serviceAccounts = pulumi.all([web.serviceAccountName, worker.serviceAccountName]);
export const networkPolicies = segments.policyNames;
export const claim = stateVolume.volumeName;
