import * as pulumi from "@pulumi/pulumi";
import {
  type DaemonSettingExplanation,
  daemonJsonText,
  explainDaemonConfig,
  type SecureDaemonOptions,
  secureDaemonConfig,
} from "../../daemon-config";
import { type AuditSeverity, DaemonAudit, type DaemonAuditArgs } from "../daemon-audit";

/** The live audit a `HardenedDaemon` runs against the engine that uses its configuration. */
export interface HardenedDaemonAuditArgs {
  /** Engine address (`unix:///…`, `tcp://…`). @default DOCKER_HOST, else the local socket */
  host?: pulumi.Input<string>;
  /** Audit only these containers. @default every container */
  containers?: pulumi.Input<pulumi.Input<string>[]>;
  /** Where the engine's daemon.json lives, when it is not the local dockerd's. @default found from the local dockerd */
  daemonConfigFile?: pulumi.Input<string>;
  /** Fail the deployment at this severity. @default AuditSeverity.High */
  failOn?: pulumi.Input<AuditSeverity>;
}

/**
 * Options of the generated daemon.json. Plain values (not Inputs): the configuration is computed
 * and validated when the component is constructed, before any child exists.
 */
export interface HardenedDaemonArgs extends Omit<SecureDaemonOptions, "userRemap"> {
  /** Remap container root to an unprivileged host range. @default true */
  userNamespaces?: boolean;
  /** `userns-remap` value: `default` (dockremap) or an existing `user[:group]`. @default "default" */
  userRemap?: string;
  /** Audit the live engine during `pulumi up` (a `DaemonAudit` child). @default no audit */
  audit?: HardenedDaemonAuditArgs;
}

/**
 * A secure Docker daemon configuration (CIS Docker Benchmark 1.6 section 2) as `daemon.json`
 * text, with the reason for every setting, and optionally a live audit of the engine that runs it.
 */
export class HardenedDaemon extends pulumi.ComponentResource {
  /** The daemon.json content. */
  readonly daemonJson: pulumi.Output<string>;
  /** The same, as an object. */
  readonly config: Record<string, unknown>;
  /** Why each setting is there (and each deliberate omission). */
  readonly explanations: DaemonSettingExplanation[];
  /** `explanations` as readable text. */
  readonly explanation: pulumi.Output<string>;
  /** Environment for docker clients (content trust is a client setting). */
  readonly clientEnvironment: Record<string, string>;
  /** The live audit, when `audit` was given. */
  readonly audit: DaemonAudit | undefined;

  constructor(name: string, args: HardenedDaemonArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const options: SecureDaemonOptions = { ...args };
    delete (options as { audit?: unknown }).audit;
    delete (options as { userNamespaces?: unknown }).userNamespaces;
    if (args.userNamespaces === false) {
      if (args.userRemap !== undefined) {
        throw new Error(
          `invalid HardenedDaemon "${name}" args: userRemap: got ${JSON.stringify(args.userRemap)} with userNamespaces: false; drop one of them`,
        );
      }
      options.userRemap = false;
    }
    let generated: ReturnType<typeof secureDaemonConfig>;
    try {
      generated = secureDaemonConfig(options);
    } catch (error) {
      throw new Error(`invalid HardenedDaemon "${name}" args: ${(error as Error).message}`);
    }
    super("shipshape:index:HardenedDaemon", name, {}, opts);
    this.config = generated.config;
    this.explanations = generated.explanations;
    this.clientEnvironment = generated.clientEnvironment;
    this.daemonJson = pulumi.output(daemonJsonText(generated.config));
    this.explanation = pulumi.output(explainDaemonConfig(generated.explanations));
    if (args.audit) {
      const auditArgs: DaemonAuditArgs = { ...args.audit };
      this.audit = new DaemonAudit(`${name}-audit`, auditArgs, { parent: this });
    } else {
      this.audit = undefined;
    }
    this.registerOutputs({
      daemonJson: this.daemonJson,
      explanation: this.explanation,
      clientEnvironment: this.clientEnvironment,
      auditCounts: this.audit?.counts,
    });
  }
}
