// The shipshape reference stack: hardened services on the local Docker engine.
//   bash scripts/main.sh            previews it with the policy pack, deploys and verifies it
//   bash scripts/main.sh destroy    tears it down
// Config (all optional): namePrefix, image, webPort, apiKey (secret), sessionKeyVersion (a new
// number rotates the session key: the web front, its only consumer, is replaced),
// userNamespaceRemap (the engine's userns-remap user, "dockremap" on shipshape's hardened engine;
// "" for none), registry (where the image is published, 127.0.0.1:5000: the loopback registry
// setup runs, reachable from the hardened engine's network namespace too); monitoring:
// prometheusImage, alertmanagerImage, exporterImage (scripts/images/observability-images.sh
// --print-tags), engineSocketGroupId (10900 on shipshape's hardened engine; the socket's group on
// the local one), engineSocketPath.
import * as pulumi from "@pulumi/pulumi";
import {
  AppType,
  ConnectivityProbe,
  EncryptedVolume,
  ObservabilityStack,
  ProfileTemplate,
  SecretStore,
  SecureService,
  SegmentedNetworks,
  SignedImage,
  VolumeKind,
} from "shipshape";

const config = new pulumi.Config();
/** Prefix of every Docker object's name, so several stacks can share one engine. */
const prefix = config.get("namePrefix") ?? "shipshape-ref";
/** Built locally by stacks/docker/build-image.sh; the engine never pulls it. */
const image = config.get("image") ?? "shipshape-reference/app:1";
const webPort = config.getNumber("webPort") ?? 18080;

const labels = { "app.kubernetes.io/part-of": prefix };

const registry = config.get("registry") ?? "127.0.0.1:5000";

// The image's supply chain before anything runs it: scanned by trivy with the offline database
// setup builds, pushed to the registry only when the scan passed, signed there in cosign's format
// with a generated ECDSA key (a Pulumi secret), and verified; the services run it by digest.
const dockerHost = new pulumi.Config("docker").get("host");
const signed = new SignedImage(`${prefix}-image`, {
  image,
  // One repository per stack (its name prefix), so another stack's destroy never takes this image.
  repository: `${registry}/${prefix}/app`,
  tag: "1",
  ...(dockerHost ? { host: dockerHost } : {}),
});

// A secret the stack generates and one it is given: Pulumi secrets from the first moment
// (ciphertext in the state, masked in the engine's output), mounted as files, never env.
const apiKey = config.getSecret("apiKey");
const store = new SecretStore("secrets", {
  secrets: [
    { name: "session-key", length: 32, version: config.getNumber("sessionKeyVersion") ?? 1 },
    apiKey ? { name: "api-key", value: apiKey } : { name: "api-key", length: 24 },
  ],
});

const remap = config.get("userNamespaceRemap") ?? "dockremap";

// The worker's state outlives its container, encrypted at rest on the host (gocryptfs): the host
// directory holds only ciphertext, the key is a generated Pulumi secret, and destroy unmounts
// and removes it.
const stateVolume = new EncryptedVolume(`${prefix}-worker-state`, {
  docker: {},
  kind: VolumeKind.Encrypted,
  ...(remap ? { userNamespaceRemap: remap } : {}),
  labels,
});

// The topology: the web front faces the outside (its published port), the worker talks to no one
// and has no route out. Nothing may connect to anything (no edges); the probe below measures it.
const segments = new SegmentedNetworks(`${prefix}-segments`, {
  docker: {},
  prefix,
  tiers: [{ name: "edge", internal: false }, { name: "app" }],
  services: [
    { name: "web", tier: "edge", ports: [8080] },
    { name: "worker", tier: "app" },
  ],
});

/** A static web front, published on the loopback interface only. */
const web = new SecureService(`${prefix}-web`, {
  docker: {},
  image: signed.imageRef,
  command: ["/bin/httpd"],
  args: ["-f", "-p", "8080", "-h", "/www"],
  ports: [{ containerPort: 8080, hostPort: webPort }],
  healthCheck: {
    command: ["/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"],
    intervalSeconds: 10,
  },
  resources: { cpu: "250m", memory: "64Mi", pids: 32 },
  runtimeProfile: { appType: AppType.Web, template: ProfileTemplate.Default },
  // The web front signs its sessions with the session key: /run/secrets/session-key, 0400, its uid.
  secretFiles: [{ value: store.value("session-key"), path: "/run/secrets/session-key" }],
  segment: { networks: segments.attachments, service: "web" },
  labels,
});

/** A background worker: no ports, a heartbeat in its tmpfs, its state on a named volume. */
const worker = new SecureService(
  `${prefix}-worker`,
  {
    docker: {},
    image: signed.imageRef,
    command: ["/bin/sh"],
    // It calls its upstream with the API key, read from its file (never from the environment).
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
  { dependsOn: [stateVolume] },
);

// Measured on the engine during `up`: exactly what the topology declares can connect.
const probe = new ConnectivityProbe(`${prefix}-probe`, {
  topology: segments.topology,
  containers: { web: web.containerNames, worker: worker.containerNames },
  probeImage: signed.imageRef,
  ...(dockerHost ? { host: dockerHost } : {}),
});

// Monitoring, itself hardened: Prometheus, Alertmanager and the engine-stats exporter, each image
// scanned, signed and run by digest like the app's; on an internal network of their own, the
// exporter alone holding the engine's socket (read-only). The engine serves its own metrics on the
// default bridge's gateway (scripts/hardened-engine.sh).
const monitoringImage = (part: string, fallback: string) =>
  new SignedImage(`${prefix}-${part}-image`, {
    image: config.get(`${part}Image`) ?? fallback,
    repository: `${registry}/${prefix}/${part}`,
    tag: "1",
    ...(dockerHost ? { host: dockerHost } : {}),
  }).imageRef;
const monitoring = new ObservabilityStack(`${prefix}-obs`, {
  docker: {},
  prefix,
  prometheusImage: monitoringImage("prometheus", "shipshape-observability/prometheus:2.42.0"),
  alertmanagerImage: monitoringImage("alertmanager", "shipshape-observability/alertmanager:0.25.0"),
  engineExporterImage: monitoringImage("exporter", "shipshape-observability/engine-exporter:1"),
  engineSocketGroupId: config.getNumber("engineSocketGroupId") ?? 10900,
  engineSocketPath: config.get("engineSocketPath") ?? "/run/shipshape-docker.sock",
  labels,
});

export const containers = pulumi
  .all([web.containerNames, worker.containerNames])
  .apply((names) => names.flat());
/** The monitoring stack: its containers, where Prometheus listens, and the alerts it evaluates. */
export const observability = {
  containers: monitoring.containerNames,
  network: monitoring.networkName,
  prometheus: monitoring.prometheusAddress,
  alertNames: monitoring.alertNames,
};
export const networks = segments.networkNames;
/** The SegmentedNetworks' topology (what `shipshape netcheck` and `shipshape graph` read) and its measured matrix. */
export const topology = segments.topology;
export const connectivity = probe.table;
export const volumes = [stateVolume.volumeName];
/** Where the worker's encrypted state lives on the host: ciphertext, and the mounted plaintext view. */
export const encryptedVolumes = {
  workerState: { cipherDirectory: stateVolume.hostCipherDirectory, mountPoint: stateVolume.hostMountPoint },
};
export const url = pulumi.interpolate`http://127.0.0.1:${webPort}/`;
export const images = { web: web.image, worker: worker.image };
export const imageScan = signed.scanSummary;
/** The published image: what `cosign verify --key <publicKeyPem> --insecure-ignore-tlog=true <imageRef>` checks. */
export const signedImage = {
  imageRef: signed.imageRef,
  digest: signed.digest,
  signatureTag: signed.signatureTag,
  publicKeyPem: signed.publicKeyPem,
};
// `pulumi stack output --show-secrets` reveals them.
export const secrets = { sessionKey: store.value("session-key"), apiKey: store.value("api-key") };
/** Which container reads which secret file: what the main job verifies inside each. */
export const secretFiles = pulumi
  .all([web.containerNames, worker.containerNames])
  .apply(([w, k]) => [
    ...w.map((container) => ({ container, path: "/run/secrets/session-key", secret: "sessionKey" })),
    ...k.map((container) => ({ container, path: "/run/secrets/api-key", secret: "apiKey" })),
  ]);
