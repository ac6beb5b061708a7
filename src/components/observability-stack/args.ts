import type * as pulumi from "@pulumi/pulumi";
import type { DockerTargetArgs } from "../../platform/docker-target";
import type { KubernetesTargetArgs } from "../../platform/kubernetes-target";

/** One of the services' own metrics endpoints for Prometheus to scrape. */
export interface ScrapeTargetArgs {
  /** The Prometheus job name (letters, digits, '_' and '-'). */
  job: string;
  /** `host:port` addresses, as Prometheus reaches them (Docker: a container name on a network it joins). */
  targets: string[];
  /** @default "/metrics" (the Prometheus convention) */
  metricsPath?: string;
  /**
   * Kubernetes: labels of the pods behind the targets, so the NetworkPolicy lets Prometheus reach them.
   * @default none (Prometheus's egress allows only Alertmanager and DNS)
   */
  podLabels?: Record<string, string>;
}

/** When the alert rules fire; every field has a default. */
export interface AlertThresholdArgs {
  /** CPU over this percent of the container's CPU limit. @default 80 (the seed's default threshold) */
  cpuPercent?: number;
  /** Memory over this percent of the container's memory limit. @default 80 (the seed's default threshold) */
  memoryPercent?: number;
  /** A container running longer than this many seconds. @default 86400 (a day: the seed's runtime limit) */
  runtimeLimitSeconds?: number;
  /** How long a resource breach lasts before it fires (a Prometheus duration). @default "2m" (ignores spikes) */
  resourceFor?: string;
  /** The window CPU use is averaged over (a Prometheus duration). @default "1m" (four 15 s scrapes) */
  rateWindow?: string;
  /** How long the engine is unreachable before it fires (a Prometheus duration). @default "1m" (a restart's length) */
  engineFor?: string;
}

/** Where Alertmanager delivers (its webhook format: a JSON POST per group of alerts). */
export interface AlertReceiverArgs {
  /**
   * The receiver's URL, reachable from the monitoring network (give exactly one of `url` and
   * `hostPort`). It may carry a token: it is kept a Pulumi secret.
   * @default none
   */
  url?: pulumi.Input<string>;
  /**
   * Docker: a receiver on the engine's host, listening on this port of the monitoring network's
   * gateway (`gateway` output): the internal network reaches its own gateway and nothing else.
   * @default none
   */
  hostPort?: number;
  /** The path on `hostPort`. @default "/alerts" */
  path?: string;
  /**
   * Kubernetes: labels of the receiver's pods, so the NetworkPolicy lets Alertmanager reach them.
   * @default none (Alertmanager's egress allows only DNS)
   */
  podLabels?: Record<string, string>;
}

/**
 * The args of an ObservabilityStack: Prometheus, Alertmanager and (Docker) the engine-stats
 * exporter, each a SecureService on an internal network of their own.
 */
export interface ObservabilityStackArgs {
  /** Run on a Docker engine (give exactly one of `docker` and `kubernetes`). @default none */
  docker?: DockerTargetArgs;
  /** Run in a Kubernetes namespace (give exactly one of `docker` and `kubernetes`). @default none */
  kubernetes?: KubernetesTargetArgs;
  /**
   * Prefix of every container, network and Kubernetes object name.
   * @default the component's name
   */
  prefix?: string;
  /** Prometheus (`/bin/prometheus`; scripts/images/observability-images.sh builds it from Debian's). */
  prometheusImage: pulumi.Input<string>;
  /** Alertmanager (`/bin/alertmanager`). */
  alertmanagerImage: pulumi.Input<string>;
  /**
   * Docker: the engine-stats exporter (`/bin/engine_exporter`), per-container resource and hardening
   * metrics from the Engine API. Required on Docker.
   * @default none
   */
  engineExporterImage?: pulumi.Input<string>;
  /**
   * Docker: the group id, as a container sees it, that may use the engine's socket (given to the
   * exporter alone). The local engine: `stat -c %g /var/run/docker.sock`; shipshape's hardened engine:
   * 10900. Required on Docker.
   * @default none
   */
  engineSocketGroupId?: number;
  /** Docker: the engine's socket on its host. @default "/var/run/docker.sock" (the engine's default) */
  engineSocketPath?: string;
  /**
   * Docker: the engine's own metrics endpoint (`metrics-addr`, HardenedDaemon's `metricsAddress`)
   * as the monitoring network reaches it.
   * @default "172.17.0.1:9323" (the default bridge's gateway, where shipshape's hardened engine serves it)
   */
  engineMetricsAddress?: string;
  /** The services' own endpoints. @default [] (the stack scrapes itself and the engine) */
  scrapeTargets?: ScrapeTargetArgs[];
  /**
   * Docker: networks Prometheus also joins, to reach `scrapeTargets`.
   * @default [] (the monitoring network only)
   */
  scrapeNetworks?: string[];
  /** @default every threshold at its default */
  alerts?: AlertThresholdArgs;
  /** @default none (alerts stay in Alertmanager, readable from its API) */
  alertReceiver?: AlertReceiverArgs;
  /** @default 15 (Prometheus's default) */
  scrapeIntervalSeconds?: number;
  /** Labels on every resource. @default {} */
  labels?: Record<string, string>;
}
