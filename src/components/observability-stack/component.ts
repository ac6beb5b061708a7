import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { PlatformKind } from "../../platform/platform";
import { SecureService } from "../secure-service/component";
import type { ObservabilityStackArgs } from "./args";
import { address, alertmanagerYaml, loadedAlerts, prometheusYaml, rulesYaml } from "./config-files";
import { alertmanagerArgs, exporterArgs, prometheusArgs, STACK_LABEL } from "./services";
import { ALERTMANAGER_PORT, PROMETHEUS_PORT, planObservability } from "./spec";

/**
 * Metrics and alerts for the services and the engine, itself hardened: Prometheus scraping the
 * engine's own metrics endpoint, the engine-stats exporter (per-container resources and hardening,
 * from the Engine API) and the services' endpoints; the seed's alert rules; Alertmanager routing
 * to a webhook. Every container is a SecureService on an internal network of the stack's own;
 * only the exporter holds the engine's socket, read-only, and publishes nothing.
 */
export class ObservabilityStack extends pulumi.ComponentResource {
  /** Docker: the stack's internal network. Kubernetes: undefined. */
  readonly networkName: pulumi.Output<string | undefined>;
  /** Docker: the internal network's gateway (where a receiver on the engine's host listens). */
  readonly gateway: pulumi.Output<string | undefined>;
  /** Docker: every container of the stack. Kubernetes: empty. */
  readonly containerNames: pulumi.Output<string[]>;
  /** How the stack's own containers reach Prometheus (`host:port`). */
  readonly prometheusAddress: pulumi.Output<string>;
  /** How Prometheus reaches Alertmanager (`host:port`). */
  readonly alertmanagerAddress: pulumi.Output<string>;
  /** The alert rules file Prometheus loads. */
  readonly rules: pulumi.Output<string>;
  /** The names of the alerts it defines. */
  readonly alertNames: pulumi.Output<string[]>;
  /** Kubernetes: the namespace of every object. */
  readonly namespace: pulumi.Output<string | undefined>;

  constructor(name: string, args: ObservabilityStackArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before anything is registered, the component itself included.
    const plan = planObservability(name, args);
    super("shipshape:index:ObservabilityStack", name, { ...args, alertReceiver: secretReceiver(args) }, opts);
    const child = { parent: this };
    const rules = rulesYaml(plan);
    const files = { config: prometheusYaml(plan), rules };
    const services: SecureService[] = [];
    if (plan.target.kind === PlatformKind.Docker) {
      const network = new docker.Network(
        plan.names.network,
        {
          name: plan.names.network,
          driver: "bridge",
          // No route out: the stack's containers reach each other, the network's gateway (the
          // engine's host, where its metrics endpoint and a host receiver listen) and nothing else.
          internal: true,
          labels: Object.entries({ [STACK_LABEL]: name, ...plan.labels }).map(([label, value]) => ({
            label,
            value,
          })),
        },
        child,
      );
      const gateway = network.ipamConfigs.apply((c) => c?.find((x) => x.gateway)?.gateway);
      const after = { parent: this, dependsOn: [network] };
      services.push(
        new SecureService(plan.names.exporter, exporterArgs(plan, name), after),
        new SecureService(
          plan.names.alertmanager,
          alertmanagerArgs(plan, name, alertmanagerYaml(plan, gateway)),
          after,
        ),
        new SecureService(plan.names.prometheus, prometheusArgs(plan, name, files), after),
      );
      this.networkName = network.name;
      this.gateway = gateway;
      this.namespace = pulumi.output<string | undefined>(undefined);
    } else {
      services.push(
        new SecureService(
          plan.names.alertmanager,
          alertmanagerArgs(plan, name, alertmanagerYaml(plan, undefined)),
          child,
        ),
        new SecureService(plan.names.prometheus, prometheusArgs(plan, name, files), child),
      );
      this.networkName = this.gateway = pulumi.output<string | undefined>(undefined);
      this.namespace = pulumi.output<string | undefined>(plan.target.namespace);
    }
    this.containerNames = pulumi.all(services.map((s) => s.containerNames)).apply((n) => n.flat());
    this.prometheusAddress = pulumi.output(address(plan, plan.names.prometheus, PROMETHEUS_PORT));
    this.alertmanagerAddress = pulumi.output(address(plan, plan.names.alertmanager, ALERTMANAGER_PORT));
    this.rules = pulumi.output(rules);
    this.alertNames = pulumi.output(loadedAlerts(plan).map((a) => String(a)));
    this.registerOutputs({
      networkName: this.networkName,
      gateway: this.gateway,
      containerNames: this.containerNames,
      prometheusAddress: this.prometheusAddress,
      alertmanagerAddress: this.alertmanagerAddress,
      rules: this.rules,
      alertNames: this.alertNames,
      namespace: this.namespace,
    });
  }
}

/** The receiver's URL may carry a token: recorded as a Pulumi secret. */
function secretReceiver(args: ObservabilityStackArgs): ObservabilityStackArgs["alertReceiver"] {
  const r = args.alertReceiver;
  if (!r || r.url === undefined) return r;
  return { ...r, url: pulumi.secret(r.url) };
}
