// An mTLS program for the SegmentedNetworks e2e test: a client (app) allowed to reach a server
// (data), each mounting its key, its certificate and the CA from the topology's SecretStore.
// Config: prefix, image, validityHours, earlyRenewalHours.
import * as pulumi from "@pulumi/pulumi";
import { SecureService, SegmentedNetworks } from "shipshape";

const config = new pulumi.Config();
const prefix = config.require("prefix");
const image = config.require("image");

const segments = new SegmentedNetworks(prefix, {
  docker: {},
  tiers: [{ name: "app" }, { name: "data" }],
  services: [
    { name: "client", tier: "app" },
    { name: "server", tier: "data", ports: [9443] },
  ],
  edges: [{ from: "client", to: "server" }],
  mtls: {
    validityHours: config.requireNumber("validityHours"),
    earlyRenewalHours: config.requireNumber("earlyRenewalHours"),
  },
});

const service = (name: string) =>
  new SecureService(`${prefix}-${name}`, {
    docker: {},
    image,
    command: ["/bin/sleep"],
    args: ["100000"],
    healthCheck: { command: ["/bin/true"], intervalSeconds: 10 },
    // The default pids (256): the nproc ulimit that stands for it counts every process of uid 10001 on the host.
    resources: { cpu: "100m", memory: "32Mi" },
    segment: { networks: segments.attachments, service: name },
    secretFiles: segments.tlsFiles(name),
  });

const client = service("client");
const server = service("server");

export const containers = { client: client.containerNames, server: server.containerNames };
export const caCertPem = segments.caCertPem;
