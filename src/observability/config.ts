/**
 * The configuration files of the observability stack's Prometheus and Alertmanager, as YAML
 * (Prometheus's and Alertmanager's own formats). Plain data in, text out; checked by
 * `promtool check config` and `amtool check-config` in test/observability.
 */
import { stringify } from "yaml";

/** One scrape job: a name and its `host:port` targets. */
export interface ScrapeJob {
  job: string;
  targets: readonly string[];
  /** @default "/metrics" */
  metricsPath?: string;
}

export interface PrometheusConfigSettings {
  /** @default "15s" */
  scrapeInterval?: string;
  /** @default "15s" */
  evaluationInterval?: string;
  jobs: readonly ScrapeJob[];
  /** Alertmanagers, `host:port`. */
  alertmanagers: readonly string[];
  /** Paths of rules files inside the Prometheus container. */
  ruleFiles: readonly string[];
}

const TARGET = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;
const JOB = /^[a-zA-Z_][a-zA-Z0-9_-]*$/;

function checkTarget(value: string, field: string): string {
  if (!TARGET.test(value))
    throw new Error(
      `${field}: ${JSON.stringify(value)} is not a host:port target; give one such as exporter:9323`,
    );
  return value;
}

export function prometheusConfigYaml(settings: PrometheusConfigSettings): string {
  const jobs = settings.jobs.map((j, i) => {
    if (!JOB.test(j.job))
      throw new Error(
        `jobs[${i}].job: ${JSON.stringify(j.job)} is not a job name; use letters, digits, '_' and '-'`,
      );
    return {
      job_name: j.job,
      metrics_path: j.metricsPath ?? "/metrics",
      static_configs: [{ targets: j.targets.map((t, k) => checkTarget(t, `jobs[${i}].targets[${k}]`)) }],
    };
  });
  return stringify(
    {
      global: {
        scrape_interval: settings.scrapeInterval ?? "15s",
        evaluation_interval: settings.evaluationInterval ?? "15s",
      },
      alerting: {
        alertmanagers: [
          {
            static_configs: [
              { targets: settings.alertmanagers.map((t, k) => checkTarget(t, `alertmanagers[${k}]`)) },
            ],
          },
        ],
      },
      rule_files: [...settings.ruleFiles],
      scrape_configs: jobs,
    },
    { lineWidth: 0 },
  );
}

export interface AlertmanagerConfigSettings {
  /** Where every alert is POSTed (Alertmanager's webhook format); without one, alerts stay in Alertmanager. */
  webhookUrl?: string;
  /** @default "10s" */
  groupWait?: string;
  /** @default "1m" */
  groupInterval?: string;
  /** @default "4h" */
  repeatInterval?: string;
}

/**
 * Why `url` cannot be Alertmanager's webhook, or undefined when it can. The reason never repeats
 * the URL, which may carry a token: callers add it where it is not secret.
 */
export function webhookUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL; give one such as http://receiver:8080/alerts";
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return "is not an http(s) URL";
  return undefined;
}

export function alertmanagerConfigYaml(settings: AlertmanagerConfigSettings): string {
  const route = {
    group_by: ["alertname", "name"],
    group_wait: settings.groupWait ?? "10s",
    group_interval: settings.groupInterval ?? "1m",
    repeat_interval: settings.repeatInterval ?? "4h",
  };
  if (settings.webhookUrl === undefined)
    return stringify(
      { route: { receiver: "none", ...route }, receivers: [{ name: "none" }] },
      { lineWidth: 0 },
    );
  const problem = webhookUrlProblem(settings.webhookUrl);
  if (problem) throw new Error(`webhookUrl: ${JSON.stringify(settings.webhookUrl)} ${problem}`);
  const url = new URL(settings.webhookUrl);
  return stringify(
    {
      route: { receiver: "webhook", ...route },
      receivers: [{ name: "webhook", webhook_configs: [{ url: url.href, send_resolved: true }] }],
    },
    { lineWidth: 0 },
  );
}
