/**
 * ObservabilityStack's args, validated and defaulted into a plan the builders read. Every problem
 * is reported at once (field path, bad value, fix) before anything is registered.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { webhookUrlProblem } from "../../observability/config";
import type { AlertRuleSettings } from "../../observability/rules";
import { PlatformKind } from "../../platform/platform";
import { resolveTarget, type Target } from "../target";
import { absolutePath, dnsLabel, labelMap, port, wholeNumber } from "../validation/fields";
import {
  type ArgsIssue,
  ComponentArgsError,
  containsUnknown,
  resourceNameIssues,
} from "../validation/issues";
import { argsIssuesFromZod } from "../validation/zod-issues";
import type { ObservabilityStackArgs } from "./args";

/** Invalid ObservabilityStack args (see ComponentArgsError). */
export class ObservabilityStackArgsError extends ComponentArgsError {
  constructor(name: string, issues: ArgsIssue[]) {
    super("ObservabilityStack", name, issues);
    this.name = "ObservabilityStackArgsError";
  }
}

/** The ports the stack's processes listen on, inside their containers. */
export const PROMETHEUS_PORT = 9090;
export const ALERTMANAGER_PORT = 9093;
export const EXPORTER_PORT = 9323;

/** Jobs the stack defines itself; a scrape target may not take their names. */
export const STACK_JOBS = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  exporter: "engine-stats",
  engine: "docker-engine",
};

const TARGET = /^[A-Za-z0-9.-]+:\d{1,5}$/;
const JOB = /^[a-zA-Z_][a-zA-Z0-9_-]*$/;
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const percent = (what: string) =>
  z
    .number({ error: `${what} must be a number from 1 to 100` })
    .min(1, { error: `${what} must be a number from 1 to 100` })
    .max(100, { error: `${what} must be a number from 1 to 100` });
const duration = (what: string) =>
  z
    .string({ error: `${what} must be a Prometheus duration such as 30s, 2m or 1h` })
    .regex(DURATION, { error: `${what} must be a Prometheus duration such as 30s, 2m or 1h` });
const target = (what: string) =>
  z
    .string({ error: `${what} must be a host:port string such as web:8080` })
    .regex(TARGET, { error: `${what} must be a host:port target such as web:8080 (no scheme, no path)` });

const schema = z.strictObject({
  docker: z.any().optional(),
  kubernetes: z.any().optional(),
  prefix: dnsLabel("prefix", "monitoring")
    .max(40, { error: "prefix must be at most 40 characters" })
    .optional(),
  prometheusImage: z.any(),
  alertmanagerImage: z.any(),
  engineExporterImage: z.any().optional(),
  engineSocketGroupId: wholeNumber("engineSocketGroupId", 1, 2_147_483_647).optional(),
  engineSocketPath: absolutePath("engineSocketPath").optional(),
  engineMetricsAddress: target("engineMetricsAddress").optional(),
  scrapeTargets: z
    .array(
      z.strictObject({
        job: z
          .string({ error: "job must be a string" })
          .regex(JOB, { error: "job must be letters, digits, '_' and '-', starting with a letter or '_'" }),
        targets: z.array(target("targets item")).min(1, { error: "targets lists at least one host:port" }),
        metricsPath: absolutePath("metricsPath").optional(),
        podLabels: labelMap("podLabels").optional(),
      }),
      { error: 'scrapeTargets must be a list such as [{ job: "web", targets: ["web:8080"] }]' },
    )
    .optional(),
  scrapeNetworks: z.array(z.string({ error: "scrapeNetworks items are network names" })).optional(),
  alerts: z
    .strictObject({
      cpuPercent: percent("alerts.cpuPercent").optional(),
      memoryPercent: percent("alerts.memoryPercent").optional(),
      runtimeLimitSeconds: wholeNumber("alerts.runtimeLimitSeconds", 1, 31_536_000).optional(),
      resourceFor: duration("alerts.resourceFor").optional(),
      rateWindow: duration("alerts.rateWindow").optional(),
      engineFor: duration("alerts.engineFor").optional(),
    })
    .optional(),
  alertReceiver: z
    .strictObject({
      url: z.any().optional(),
      hostPort: port("alertReceiver.hostPort").optional(),
      path: absolutePath("alertReceiver.path").optional(),
      podLabels: labelMap("alertReceiver.podLabels").optional(),
    })
    .optional(),
  scrapeIntervalSeconds: wholeNumber("scrapeIntervalSeconds", 1, 3600).optional(),
  labels: labelMap("labels").optional(),
});

export interface ScrapeTargetPlan {
  job: string;
  targets: string[];
  metricsPath: string;
  podLabels?: Record<string, string>;
}

/** Everything the builders need, validated and defaulted. */
export interface ObservabilityPlan {
  target: Target;
  names: { network: string; prometheus: string; alertmanager: string; exporter: string };
  images: {
    prometheus: pulumi.Input<string>;
    alertmanager: pulumi.Input<string>;
    exporter?: pulumi.Input<string>;
  };
  engine: { socketPath: string; socketGroupId: number; metricsAddress: string } | undefined;
  scrapeTargets: ScrapeTargetPlan[];
  scrapeNetworks: string[];
  rules: AlertRuleSettings;
  receiver?: {
    url?: pulumi.Input<string>;
    hostPort?: number;
    path: string;
    podLabels?: Record<string, string>;
  };
  scrapeIntervalSeconds: number;
  labels: Record<string, string>;
}

/** Fields that decide which resources exist and how they are configured: plain values only. */
const PLAIN_FIELDS = [
  "prefix",
  "engineSocketGroupId",
  "engineSocketPath",
  "engineMetricsAddress",
  "scrapeTargets",
  "scrapeNetworks",
  "alerts",
  "scrapeIntervalSeconds",
  "labels",
] as const;

/** Fields only the Docker target reads. */
const DOCKER_ONLY = [
  "engineExporterImage",
  "engineSocketGroupId",
  "engineSocketPath",
  "engineMetricsAddress",
  "scrapeNetworks",
] as const;

function missing(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/** Validates the args and plans the stack; throws ObservabilityStackArgsError listing every problem. */
export function planObservability(name: string, args: ObservabilityStackArgs): ObservabilityPlan {
  const issues: ArgsIssue[] = resourceNameIssues(name, "the default prefix of container and object names");
  if (args === null || typeof args !== "object")
    throw new ObservabilityStackArgsError(String(name), [
      ...issues,
      {
        path: "",
        value: args,
        message: "args must be an object with docker or kubernetes, prometheusImage and alertmanagerImage",
      },
    ]);
  const resolved = resolveTarget(args, { required: true, component: "ObservabilityStack" });
  issues.push(...resolved.issues);
  for (const field of PLAIN_FIELDS)
    if (containsUnknown(args[field]))
      issues.push({
        path: field,
        value: args[field],
        message: `${field} decides the stack's resources and configuration, so it must be plain values known when the program runs (not Outputs or Promises)`,
      });
  if (containsUnknown(args.alertReceiver?.hostPort) || containsUnknown(args.alertReceiver?.path))
    issues.push({
      path: "alertReceiver",
      value: args.alertReceiver,
      message: "alertReceiver's hostPort and path must be plain values (only url may be an Output)",
    });
  if (issues.some((i) => i.path !== "name")) throw new ObservabilityStackArgsError(String(name), issues);
  const parsed = schema.safeParse(args);
  if (!parsed.success) {
    issues.push(...argsIssuesFromZod(parsed.error, args, "ObservabilityStackArgs"));
    throw new ObservabilityStackArgsError(String(name), issues);
  }
  const a = parsed.data;
  const target = resolved.target as Target;
  const docker = target.kind === PlatformKind.Docker;

  for (const field of ["prometheusImage", "alertmanagerImage"] as const)
    if (missing(args[field]))
      issues.push({
        path: field,
        value: args[field],
        message: `give the ${field === "prometheusImage" ? "Prometheus" : "Alertmanager"} image (scripts/images/observability-images.sh builds it from Debian's packages)`,
      });
  if (docker) {
    if (missing(args.engineExporterImage))
      issues.push({
        path: "engineExporterImage",
        value: args.engineExporterImage,
        message:
          "on Docker the stack runs the engine-stats exporter: give its image (shipshape-observability/engine-exporter:1 from scripts/images/observability-images.sh)",
      });
    if (a.engineSocketGroupId === undefined)
      issues.push({
        path: "engineSocketGroupId",
        value: undefined,
        message:
          "give the group id that may use the engine's socket, as a container sees it: `stat -c %g /var/run/docker.sock` on the local engine, 10900 on shipshape's hardened engine",
      });
    if (target.networks.length > 0)
      issues.push({
        path: "docker.networks",
        value: target.networks,
        message:
          "the stack creates its own internal network: leave docker.networks out (docker: {}) and name the networks Prometheus must also join in scrapeNetworks",
      });
  } else {
    for (const field of DOCKER_ONLY)
      if (args[field] !== undefined)
        issues.push({
          path: field,
          value: args[field],
          message: `${field} configures the Docker engine's monitoring; leave it out on Kubernetes (the cluster has no engine socket to read)`,
        });
    if (a.alertReceiver?.hostPort !== undefined)
      issues.push({
        path: "alertReceiver.hostPort",
        value: a.alertReceiver.hostPort,
        message: "a receiver on the engine's host is a Docker setting; on Kubernetes give alertReceiver.url",
      });
  }
  const receiver = a.alertReceiver;
  if (receiver && missing(receiver.url) === (receiver.hostPort === undefined))
    issues.push({
      path: "alertReceiver",
      value: { ...(receiver.url === undefined ? {} : { url: "(given)" }), hostPort: receiver.hostPort },
      message: "give exactly one of alertReceiver.url and alertReceiver.hostPort",
      sensitive: false,
    });
  const plainUrl = args.alertReceiver?.url;
  if (typeof plainUrl === "string" && plainUrl !== "") {
    const problem = webhookUrlProblem(plainUrl);
    if (problem)
      issues.push({
        path: "alertReceiver.url",
        value: plainUrl,
        sensitive: true,
        message: `the receiver's URL ${problem}`,
      });
  }
  if (receiver?.path !== undefined && receiver.hostPort === undefined)
    issues.push({
      path: "alertReceiver.path",
      value: receiver.path,
      message: "path goes with hostPort; put the path into alertReceiver.url instead",
    });
  const jobs = new Set<string>(Object.values(STACK_JOBS));
  (a.scrapeTargets ?? []).forEach((t, i) => {
    if (jobs.has(t.job))
      issues.push({
        path: `scrapeTargets.${i}.job`,
        value: t.job,
        message: `job ${t.job} is already taken (the stack's own jobs: ${Object.values(STACK_JOBS).join(", ")}, and earlier targets); give each job its own name`,
      });
    jobs.add(t.job);
  });
  if (issues.length > 0) throw new ObservabilityStackArgsError(String(name), issues);

  const prefix = a.prefix ?? name;
  const plan: ObservabilityPlan = {
    target,
    names: {
      network: `${prefix}-monitoring`,
      prometheus: `${prefix}-prometheus`,
      alertmanager: `${prefix}-alertmanager`,
      exporter: `${prefix}-engine-exporter`,
    },
    images: { prometheus: args.prometheusImage, alertmanager: args.alertmanagerImage },
    engine: docker
      ? {
          socketPath: a.engineSocketPath ?? "/var/run/docker.sock",
          socketGroupId: a.engineSocketGroupId as number,
          metricsAddress: a.engineMetricsAddress ?? "172.17.0.1:9323",
        }
      : undefined,
    scrapeTargets: (a.scrapeTargets ?? []).map((t) => ({
      job: t.job,
      targets: t.targets,
      metricsPath: t.metricsPath ?? "/metrics",
      ...(t.podLabels ? { podLabels: t.podLabels } : {}),
    })),
    scrapeNetworks: a.scrapeNetworks ?? [],
    rules: { ...(a.alerts ?? {}), engineJob: STACK_JOBS.engine, exporterJob: STACK_JOBS.exporter },
    scrapeIntervalSeconds: a.scrapeIntervalSeconds ?? 15,
    labels: { ...(a.labels ?? {}) },
  };
  if (docker) plan.images.exporter = args.engineExporterImage;
  if (receiver)
    plan.receiver = {
      ...(receiver.hostPort === undefined
        ? { url: args.alertReceiver?.url }
        : { hostPort: receiver.hostPort }),
      path: receiver.path ?? "/alerts",
      ...(receiver.podLabels ? { podLabels: receiver.podLabels } : {}),
    };
  return plan;
}
