/**
 * The stack's configuration files, from its plan: Prometheus's scrape configuration and rules,
 * Alertmanager's routing. They reach the containers as SecureService secret files (a read-only
 * mount, 0400, the service's uid), so a changed file replaces exactly the container that reads it.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  alertmanagerConfigYaml,
  prometheusConfigYaml,
  type ScrapeJob,
  webhookUrlProblem,
} from "../../observability/config";
import { AlertName, alertRulesYaml, PLATFORM_NEUTRAL_ALERTS } from "../../observability/rules";
import { PlatformKind } from "../../platform/platform";
import {
  ALERTMANAGER_PORT,
  EXPORTER_PORT,
  type ObservabilityPlan,
  PROMETHEUS_PORT,
  STACK_JOBS,
} from "./spec";

/** Where the files live inside the containers. */
export const PROMETHEUS_DIR = "/run/secrets/prometheus";
export const ALERTMANAGER_DIR = "/run/secrets/alertmanager";

/** How one container addresses another: a container name (Docker) or a Service's DNS name. */
export function address(plan: ObservabilityPlan, service: string, port: number): string {
  return plan.target.kind === PlatformKind.Kubernetes
    ? `${service}.${plan.target.namespace}.svc:${port}`
    : `${service}:${port}`;
}

export function prometheusYaml(plan: ObservabilityPlan): string {
  const alertmanager = address(plan, plan.names.alertmanager, ALERTMANAGER_PORT);
  const jobs: ScrapeJob[] = [
    { job: STACK_JOBS.prometheus, targets: [`127.0.0.1:${PROMETHEUS_PORT}`] },
    { job: STACK_JOBS.alertmanager, targets: [alertmanager] },
  ];
  if (plan.engine)
    jobs.push(
      { job: STACK_JOBS.exporter, targets: [address(plan, plan.names.exporter, EXPORTER_PORT)] },
      { job: STACK_JOBS.engine, targets: [plan.engine.metricsAddress] },
    );
  for (const t of plan.scrapeTargets)
    jobs.push({ job: t.job, targets: t.targets, metricsPath: t.metricsPath });
  return prometheusConfigYaml({
    scrapeInterval: `${plan.scrapeIntervalSeconds}s`,
    evaluationInterval: `${plan.scrapeIntervalSeconds}s`,
    jobs,
    alertmanagers: [alertmanager],
    ruleFiles: [`${PROMETHEUS_DIR}/rules.yml`],
  });
}

/** The alerts Prometheus loads: every rule on Docker; on Kubernetes only those that need no engine exporter. */
export function loadedAlerts(plan: ObservabilityPlan): AlertName[] {
  return plan.engine ? Object.values(AlertName) : [...PLATFORM_NEUTRAL_ALERTS];
}

/** The rules file of those alerts. */
export function rulesYaml(plan: ObservabilityPlan): string {
  return alertRulesYaml(plan.rules, loadedAlerts(plan));
}

/**
 * Alertmanager's configuration. A receiver on the engine's host is addressed through the
 * monitoring network's gateway, known once the network exists.
 */
export function alertmanagerYaml(
  plan: ObservabilityPlan,
  gateway: pulumi.Input<string | undefined>,
): pulumi.Output<string> {
  const receiver = plan.receiver;
  if (!receiver) return pulumi.output(alertmanagerConfigYaml({}));
  if (receiver.hostPort !== undefined) {
    const { hostPort, path } = receiver;
    return pulumi.output(gateway).apply((g) => {
      if (!g) throw new Error(`ObservabilityStack: the network ${plan.names.network} reports no gateway`);
      return alertmanagerConfigYaml({ webhookUrl: `http://${g}:${hostPort}${path}` });
    });
  }
  return pulumi.output(receiver.url).apply((url) => {
    // The URL may carry a token: the message names the field, never the value.
    const problem = webhookUrlProblem(String(url));
    if (problem)
      throw new Error(`ObservabilityStack: alertReceiver.url (not shown: it may be secret) ${problem}`);
    return alertmanagerConfigYaml({ webhookUrl: String(url) });
  });
}
