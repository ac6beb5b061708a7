// An ObservabilityStack on a hardened engine (the test's own): Prometheus, Alertmanager and the
// engine-stats exporter, alerts delivered to a receiver on the engine's host. Config: prefix,
// prometheusImage, alertmanagerImage, exporterImage, receiverPort, cpuPercent.
import * as pulumi from "@pulumi/pulumi";
import { ObservabilityStack } from "shipshape";

const config = new pulumi.Config();
const stack = new ObservabilityStack(config.require("prefix"), {
  docker: {},
  prometheusImage: config.require("prometheusImage"),
  alertmanagerImage: config.require("alertmanagerImage"),
  engineExporterImage: config.require("exporterImage"),
  engineSocketGroupId: 10900,
  engineSocketPath: config.require("socketPath"),
  scrapeIntervalSeconds: 2,
  alerts: { cpuPercent: config.requireNumber("cpuPercent"), resourceFor: "6s", rateWindow: "10s" },
  alertReceiver: { hostPort: config.requireNumber("receiverPort"), path: "/alerts" },
});

export const containers = stack.containerNames;
export const network = stack.networkName;
export const gateway = stack.gateway;
export const prometheus = stack.prometheusAddress;
export const alertNames = stack.alertNames;
