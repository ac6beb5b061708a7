/**
 * The stack's containers, each a SecureService (non-root, read-only root, no capabilities, limits,
 * a seccomp profile): the args of each, for either platform. Only the exporter holds the engine's
 * socket, read-only, and it publishes nothing and sits on the internal network alone.
 */
import type * as pulumi from "@pulumi/pulumi";
import { PlatformKind } from "../../platform/platform";
import { AppType, ProfileTemplate } from "../runtime-profile/syscalls";
import type { SecureServiceArgs } from "../secure-service/args";
import { ALERTMANAGER_DIR, PROMETHEUS_DIR } from "./config-files";
import { ALERTMANAGER_PORT, EXPORTER_PORT, type ObservabilityPlan, PROMETHEUS_PORT } from "./spec";

/** Label on every object of the stack (unless the given labels set it): which stack it is part of. */
export const STACK_LABEL = "app.kubernetes.io/part-of";

function wget(port: number, path: string): string[] {
  return ["/bin/wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${port}${path}`];
}

/** Target and ports: Docker joins the monitoring network (nothing published); Kubernetes gets Services. */
function placement(
  plan: ObservabilityPlan,
  port: number,
  path: string,
  extraNetworks: string[] = [],
): Pick<SecureServiceArgs, "docker" | "kubernetes" | "ports" | "healthCheck"> {
  if (plan.target.kind === PlatformKind.Kubernetes)
    return {
      kubernetes: { namespace: plan.target.namespace, podSecurityLevel: plan.target.podSecurityLevel },
      ports: [{ containerPort: port }],
      healthCheck: { httpGetPath: path, port, intervalSeconds: 15 },
    };
  return {
    docker: { networks: [plan.names.network, ...extraNetworks], bindAddress: plan.target.bindAddress },
    healthCheck: { command: wget(port, path), intervalSeconds: 15 },
  };
}

function labelsOf(plan: ObservabilityPlan, stack: string): Record<string, string> {
  return { [STACK_LABEL]: stack, ...plan.labels };
}

const podOf = (name: string) => ({ "app.kubernetes.io/name": name });

/**
 * Each container of the stack runs as a uid of its own, none the services' default 10001: on an
 * engine without userns-remap, the nproc ulimit (SecureService's stand-in for a PIDs limit) counts
 * every process and thread of a uid on the host, and Prometheus's threads would use up the budget
 * of the services running as the same uid.
 */
export const STACK_UIDS = { prometheus: "10090:10090", alertmanager: "10091:10091", exporter: "10092:10092" };

export function prometheusArgs(
  plan: ObservabilityPlan,
  stack: string,
  files: { config: pulumi.Input<string>; rules: pulumi.Input<string> },
): SecureServiceArgs {
  const args: SecureServiceArgs = {
    ...placement(plan, PROMETHEUS_PORT, "/-/healthy", plan.scrapeNetworks),
    image: plan.images.prometheus,
    user: STACK_UIDS.prometheus,
    command: ["/bin/prometheus"],
    args: [
      `--config.file=${PROMETHEUS_DIR}/prometheus.yml`,
      "--storage.tsdb.path=/prometheus",
      "--storage.tsdb.retention.time=2d",
      `--web.listen-address=0.0.0.0:${PROMETHEUS_PORT}`,
    ],
    secretFiles: [
      { value: files.config, path: `${PROMETHEUS_DIR}/prometheus.yml` },
      { value: files.rules, path: `${PROMETHEUS_DIR}/rules.yml` },
    ],
    writablePaths: ["/prometheus"],
    writablePathSize: "256Mi",
    resources: { cpu: "500m", memory: "512Mi", pids: 128 },
    runtimeProfile: { appType: AppType.Web, template: ProfileTemplate.Default },
    labels: labelsOf(plan, stack),
  };
  if (plan.target.kind === PlatformKind.Kubernetes) {
    args.egressTo = [
      { podLabels: podOf(plan.names.alertmanager), ports: [ALERTMANAGER_PORT] },
      ...plan.scrapeTargets.flatMap((t) =>
        t.podLabels ? [{ podLabels: t.podLabels, ports: t.targets.map((x) => Number(x.split(":")[1])) }] : [],
      ),
    ];
  }
  return args;
}

export function alertmanagerArgs(
  plan: ObservabilityPlan,
  stack: string,
  config: pulumi.Input<string>,
): SecureServiceArgs {
  const args: SecureServiceArgs = {
    ...placement(plan, ALERTMANAGER_PORT, "/-/healthy"),
    image: plan.images.alertmanager,
    user: STACK_UIDS.alertmanager,
    command: ["/bin/alertmanager"],
    args: [
      `--config.file=${ALERTMANAGER_DIR}/alertmanager.yml`,
      "--storage.path=/alertmanager",
      // One instance: no gossip port to listen on.
      "--cluster.listen-address=",
      `--web.listen-address=0.0.0.0:${ALERTMANAGER_PORT}`,
    ],
    secretFiles: [{ value: config, path: `${ALERTMANAGER_DIR}/alertmanager.yml` }],
    writablePaths: ["/alertmanager"],
    resources: { cpu: "200m", memory: "128Mi", pids: 64 },
    runtimeProfile: { appType: AppType.Web, template: ProfileTemplate.Default },
    labels: labelsOf(plan, stack),
  };
  if (plan.target.kind === PlatformKind.Kubernetes) {
    args.ingressFrom = [{ podLabels: podOf(plan.names.prometheus), ports: [ALERTMANAGER_PORT] }];
    if (plan.receiver?.podLabels) args.egressTo = [{ podLabels: plan.receiver.podLabels }];
  }
  return args;
}

/** Docker only: the engine-stats exporter, the one container that reads the Engine API. */
export function exporterArgs(plan: ObservabilityPlan, stack: string): SecureServiceArgs {
  const engine = plan.engine;
  if (!engine || !plan.images.exporter) throw new Error("the engine-stats exporter runs on Docker only");
  return {
    ...placement(plan, EXPORTER_PORT, "/healthz"),
    image: plan.images.exporter,
    user: STACK_UIDS.exporter,
    command: ["/bin/engine_exporter"],
    args: ["-listen", `0.0.0.0:${EXPORTER_PORT}`, "-socket", "/var/run/docker.sock"],
    resources: { cpu: "200m", memory: "64Mi", pids: 32 },
    runtimeProfile: { appType: AppType.Web, template: ProfileTemplate.Default },
    labels: labelsOf(plan, stack),
    overrides: {
      engineSocket: {
        reason:
          "the engine-stats exporter reads container stats and inspect data (GET requests only), publishes no port and is reachable from the stack's internal network only",
        groupId: engine.socketGroupId,
        socketPath: engine.socketPath,
      },
    },
  };
}
