/**
 * The Prometheus alert rules for the seed's runtime checks, as a rules file (`promtool check rules`
 * validates it; test/observability/rules.test.ts unit-tests every alert with `promtool test rules`).
 *
 * The metrics they read:
 * - `shipshape_container_*` and `shipshape_engine_up`: the engine-stats exporter (the Engine API's
 *   stats and inspect data, one series per running container, labels `name`, `id`, `image`);
 * - `up{job="docker-engine"}`: Prometheus's own scrape of the Docker engine's `metrics-addr`.
 */
import { stringify } from "yaml";

/** What the rules alert on; every field has a default. */
export interface AlertRuleSettings {
  /** CPU over this percent of the container's CPU limit (of one CPU without a limit). @default 80 */
  cpuPercent?: number;
  /** Memory over this percent of the container's memory limit. @default 80 */
  memoryPercent?: number;
  /** A container running longer than this many seconds. @default 86400 (a day) */
  runtimeLimitSeconds?: number;
  /** How long a resource breach must last before the alert fires (a Prometheus duration). @default "2m" */
  resourceFor?: string;
  /** How long the engine must be unreachable before the alert fires. @default "1m" */
  engineFor?: string;
  /** The window over which CPU use is averaged (a Prometheus duration). @default "1m" */
  rateWindow?: string;
  /** Name of the Prometheus job that scrapes the engine's metrics-addr. @default "docker-engine" */
  engineJob?: string;
  /** Name of the Prometheus job that scrapes the engine-stats exporter. @default "engine-stats" */
  exporterJob?: string;
}

/** The names of the alerts the rules file defines, in order. */
export enum AlertName {
  ContainerCpuHigh = "ContainerCpuHigh",
  ContainerMemoryHigh = "ContainerMemoryHigh",
  ContainerRestarted = "ContainerRestarted",
  ContainerRunningTooLong = "ContainerRunningTooLong",
  PrivilegedContainer = "PrivilegedContainer",
  UnhardenedContainer = "UnhardenedContainer",
  DockerEngineUnreachable = "DockerEngineUnreachable",
  ScrapeTargetDown = "ScrapeTargetDown",
}

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

function duration(value: string, field: string): string {
  if (!DURATION.test(value))
    throw new Error(
      `${field}: ${JSON.stringify(value)} is not a Prometheus duration; give one such as 30s, 2m or 1h`,
    );
  return value;
}

function positive(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${field}: ${value} is not a positive number; give one such as 80`);
  return value;
}

interface PromRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** The rules as objects (the rules file's one group). */
export function alertRules(settings: AlertRuleSettings = {}): PromRule[] {
  const cpu = positive(settings.cpuPercent ?? 80, "cpuPercent");
  const memory = positive(settings.memoryPercent ?? 80, "memoryPercent");
  const runtime = positive(settings.runtimeLimitSeconds ?? 86_400, "runtimeLimitSeconds");
  const resourceFor = duration(settings.resourceFor ?? "2m", "resourceFor");
  const engineFor = duration(settings.engineFor ?? "1m", "engineFor");
  const window = duration(settings.rateWindow ?? "1m", "rateWindow");
  const engineJob = settings.engineJob ?? "docker-engine";
  const exporterJob = settings.exporterJob ?? "engine-stats";
  const container = "{{ $labels.name }}";
  return [
    {
      alert: AlertName.ContainerCpuHigh,
      expr: `100 * rate(shipshape_container_cpu_usage_seconds_total[${window}]) / shipshape_container_cpu_limit_cores > ${cpu}`,
      for: resourceFor,
      labels: { severity: "warning", check: "resources" },
      annotations: {
        summary: `container ${container} uses {{ $value | printf "%.0f" }}% of its CPU limit (threshold ${cpu}%)`,
      },
    },
    {
      alert: AlertName.ContainerMemoryHigh,
      expr: `100 * shipshape_container_memory_usage_bytes / shipshape_container_memory_limit_bytes > ${memory}`,
      for: resourceFor,
      labels: { severity: "warning", check: "resources" },
      annotations: {
        summary: `container ${container} uses {{ $value | printf "%.0f" }}% of its memory limit (threshold ${memory}%)`,
      },
    },
    {
      alert: AlertName.ContainerRestarted,
      expr: "increase(shipshape_container_restarts[10m]) > 0",
      labels: { severity: "warning", check: "restart" },
      annotations: { summary: `container ${container} restarted in the last 10 minutes` },
    },
    {
      alert: AlertName.ContainerRunningTooLong,
      expr: `time() - shipshape_container_started_time_seconds > ${runtime}`,
      labels: { severity: "warning", check: "runtime" },
      annotations: {
        summary: `container ${container} has run {{ $value | printf "%.0f" }} s, over the limit of ${runtime} s`,
      },
    },
    {
      alert: AlertName.PrivilegedContainer,
      expr: "shipshape_container_privileged == 1",
      labels: { severity: "critical", check: "audit" },
      annotations: { summary: `container ${container} runs privileged` },
    },
    {
      alert: AlertName.UnhardenedContainer,
      expr: "shipshape_container_hardened == 0",
      labels: { severity: "critical", check: "audit" },
      annotations: {
        summary: `container ${container} is not hardened (host namespaces, the engine socket, added capabilities, root or a writable root filesystem)`,
      },
    },
    {
      alert: AlertName.DockerEngineUnreachable,
      expr: `up{job="${engineJob}"} == 0 or shipshape_engine_up{job="${exporterJob}"} == 0 or absent(up{job="${engineJob}"})`,
      for: engineFor,
      labels: { severity: "critical", check: "engine" },
      annotations: { summary: "the Docker engine does not answer (its metrics endpoint or the Engine API)" },
    },
    {
      alert: AlertName.ScrapeTargetDown,
      expr: "up == 0",
      for: engineFor,
      labels: { severity: "warning", check: "scrape" },
      annotations: { summary: "scrape target {{ $labels.job }} at {{ $labels.instance }} is down" },
    },
  ];
}

/** The alerts that need no Docker engine: what a Kubernetes stack's Prometheus can evaluate. */
export const PLATFORM_NEUTRAL_ALERTS: readonly AlertName[] = [AlertName.ScrapeTargetDown];

/**
 * The rules file (YAML), one group `shipshape`; `only` keeps the named alerts (a Kubernetes stack
 * has no engine-stats exporter, so the container and engine rules would never see a series).
 */
export function alertRulesYaml(settings: AlertRuleSettings = {}, only?: readonly AlertName[]): string {
  const rules = alertRules(settings).filter((r) => !only || only.includes(r.alert as AlertName));
  return stringify({ groups: [{ name: "shipshape", rules }] }, { lineWidth: 0 });
}
