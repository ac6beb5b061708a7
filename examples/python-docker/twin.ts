// The Python program (__main__.py) in TypeScript, resource for resource: the policy pack must
// report the same findings on both (test/e2e/python-program.test.ts).
import * as pulumi from "@pulumi/pulumi";
import { AppType, ProfileTemplate, SecretStore, SecureService, SegmentedNetworks } from "shipshape";

const config = new pulumi.Config();
const prefix = config.get("namePrefix") ?? "shipshape-python";
const image = config.get("image") ?? "shipshape-reference/app:1";
const webPort = config.getNumber("webPort") ?? 18082;
const labels = { "app.kubernetes.io/part-of": prefix };

const store = new SecretStore("secrets", {
  secrets: [
    { name: "session-key", length: 32 },
    { name: "api-key", length: 24 },
  ],
});

const segments = new SegmentedNetworks(`${prefix}-segments`, {
  docker: {},
  prefix,
  tiers: [{ name: "edge", internal: false }, { name: "app" }],
  services: [
    { name: "web", tier: "edge", ports: [8080] },
    { name: "worker", tier: "app" },
  ],
});

const web = new SecureService(`${prefix}-web`, {
  docker: {},
  image,
  command: ["/bin/httpd"],
  args: ["-f", "-p", "8080", "-h", "/www"],
  ports: [{ containerPort: 8080, hostPort: webPort }],
  healthCheck: {
    command: ["/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/"],
    intervalSeconds: 10,
  },
  resources: { cpu: "250m", memory: "64Mi", pids: 32 },
  runtimeProfile: { appType: AppType.Web, template: ProfileTemplate.Default },
  secretFiles: [{ value: store.value("session-key"), path: "/run/secrets/session-key" }],
  segment: { networks: segments.attachments, service: "web" },
  labels,
});

const worker = new SecureService(`${prefix}-worker`, {
  docker: {},
  image,
  command: ["/bin/sh"],
  args: ["-c", "while true; do test -s /run/secrets/api-key && date > /tmp/heartbeat; sleep 5; done"],
  healthCheck: { command: ["/bin/test", "-f", "/tmp/heartbeat"], intervalSeconds: 10 },
  secretFiles: [{ value: store.value("api-key"), path: "/run/secrets/api-key" }],
  resources: { cpu: "100m", memory: "32Mi", pids: 16 },
  writablePaths: ["/tmp"],
  runtimeProfile: { appType: AppType.Worker, template: ProfileTemplate.Strict },
  segment: { networks: segments.attachments, service: "worker" },
  labels,
});

export const containers = pulumi
  .all([web.containerNames, worker.containerNames])
  .apply(([w, k]) => [...w, ...k]);
export const networks = segments.networkNames;
export const url = `http://127.0.0.1:${webPort}/`;
export const secretNames = store.names;
export const secretValues = store.values;
