// An ObservabilityStack on a hardened engine (the test's own): Prometheus, Alertmanager and the
// engine-stats exporter, alerts delivered to a receiver on the engine's host; and a service with a
// metrics endpoint of its own (node_exporter, as a SecureService) on the monitoring network, which
// Prometheus scrapes as a `scrapeTargets` job. Config: prefix, prometheusImage, alertmanagerImage,
// exporterImage, nodeExporterImage, socketPath, receiverPort, cpuPercent.
import * as pulumi from "@pulumi/pulumi";
import { AppType, ObservabilityStack, SecureService } from "shipshape";

const config = new pulumi.Config();
const prefix = config.require("prefix");
const stack = new ObservabilityStack(prefix, {
  docker: {},
  prometheusImage: config.require("prometheusImage"),
  alertmanagerImage: config.require("alertmanagerImage"),
  engineExporterImage: config.require("exporterImage"),
  engineSocketGroupId: 10900,
  engineSocketPath: config.require("socketPath"),
  scrapeIntervalSeconds: 2,
  alerts: { cpuPercent: config.requireNumber("cpuPercent"), resourceFor: "6s", rateWindow: "10s" },
  alertReceiver: { hostPort: config.requireNumber("receiverPort"), path: "/alerts" },
  scrapeTargets: [{ job: "app", targets: [`${prefix}-app:9100`] }],
});

const app = new SecureService(
  `${prefix}-app`,
  {
    docker: { networks: [`${prefix}-monitoring`] },
    image: config.require("nodeExporterImage"),
    command: ["/bin/node_exporter"],
    args: ["--web.listen-address=0.0.0.0:9100"],
    healthCheck: { command: ["/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:9100/metrics"] },
    runtimeProfile: { appType: AppType.Web },
    user: "10200:10200",
  },
  { dependsOn: [stack] },
);

export const appContainers = app.containerNames;
export const containers = stack.containerNames;
export const network = stack.networkName;
export const gateway = stack.gateway;
export const prometheus = stack.prometheusAddress;
export const alertNames = stack.alertNames;
