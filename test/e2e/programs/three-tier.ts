// A three-tier program for the SegmentedNetworks e2e test: web (edge tier, outside-facing) →
// api (app) → db (data), and an audit service (app) nobody may reach. Config `auditEdge: true`
// adds the edge api → audit. A ConnectivityProbe measures the matrix during `up`.
import * as pulumi from "@pulumi/pulumi";
import { ConnectivityProbe, SecureService, SegmentedNetworks } from "shipshape";

const config = new pulumi.Config();
const prefix = config.require("prefix");
const image = config.require("image");
const webPort = config.requireNumber("webPort");
const auditEdge = config.getBoolean("auditEdge") ?? false;
const edgeSubnet = config.get("edgeSubnet");

const segments = new SegmentedNetworks(prefix, {
  docker: {},
  tiers: [
    { name: "edge", internal: false, ...(edgeSubnet ? { subnet: edgeSubnet } : {}) },
    { name: "app" },
    { name: "data" },
  ],
  services: [
    { name: "web", tier: "edge", ports: [8080] },
    { name: "api", tier: "app", ports: [9000] },
    { name: "audit", tier: "app", ports: [7000] },
    { name: "db", tier: "data", ports: [5432] },
  ],
  edges: [
    { from: "web", to: "api" },
    { from: "api", to: "db" },
    ...(auditEdge ? [{ from: "api", to: "audit" }] : []),
  ],
});

/** A service that accepts TCP connections on `port` (busybox httpd). */
function listener(service: string, port: number, publish?: number): SecureService {
  return new SecureService(`${prefix}-${service}`, {
    docker: {},
    image,
    command: ["/bin/httpd"],
    args: ["-f", "-p", String(port), "-h", "/www"],
    ...(publish ? { ports: [{ containerPort: port, hostPort: publish }] } : {}),
    healthCheck: { command: ["/bin/true"], intervalSeconds: 10 },
    // The default pids (256): the nproc ulimit that stands for it counts every process of uid 10001 on the host.
    resources: { cpu: "100m", memory: "32Mi" },
    segment: { networks: segments.attachments, service },
  });
}

const services = {
  web: listener("web", 8080, webPort),
  api: listener("api", 9000),
  audit: listener("audit", 7000),
  db: listener("db", 5432),
};

const probe = new ConnectivityProbe(`${prefix}-probe`, {
  topology: segments.topology,
  containers: Object.fromEntries(Object.entries(services).map(([k, s]) => [k, s.containerNames])),
  probeImage: image,
});

export const topology = segments.topology;
export const attachments = segments.attachments;
export const networks = segments.networkNames;
export const matrix = probe.cells;
export const table = probe.table;
