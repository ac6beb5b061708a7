import * as pulumi from "@pulumi/pulumi";
import {
  type DaemonSettingsArgs,
  daemonJsonText,
  explainDaemonConfig,
  type SecureDaemonOptions,
  secureDaemonConfig,
} from "../../daemon-config";
import { type AuditSeverity, DaemonAudit } from "../daemon-audit";
import { ComponentArgsError } from "../validation/issues";

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
export interface HardenedDaemonArgs extends DaemonSettingsArgs {
  /** Remap container root to an unprivileged host range. @default true (root in a container is not root on the host) */
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
  /** Why each setting is there (and each deliberate omission), as readable text. */
  readonly explanation: pulumi.Output<string>;
  /** Environment for docker clients (content trust is a client setting). */
  readonly clientEnvironment: pulumi.Output<Record<string, string>>;
  /** The live audit's findings per severity, when `audit` was given. */
  readonly auditCounts: pulumi.Output<Record<string, number> | undefined>;
  /** The live audit's number of findings, when `audit` was given. */
  readonly auditTotal: pulumi.Output<number | undefined>;

  constructor(name: string, args: HardenedDaemonArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const generated = generateConfig(name, args);
    super("shipshape:index:HardenedDaemon", name, {}, opts);
    this.daemonJson = pulumi.output(daemonJsonText(generated.config));
    this.explanation = pulumi.output(explainDaemonConfig(generated.explanations));
    this.clientEnvironment = pulumi.output(generated.clientEnvironment);
    if (args.audit) {
      const audit = new DaemonAudit(`${name}-audit`, { ...args.audit }, { parent: this });
      this.auditCounts = audit.counts;
      this.auditTotal = audit.total;
    } else {
      this.auditCounts = pulumi.output<Record<string, number> | undefined>(undefined);
      this.auditTotal = pulumi.output<number | undefined>(undefined);
    }
    this.registerOutputs({
      daemonJson: this.daemonJson,
      explanation: this.explanation,
      clientEnvironment: this.clientEnvironment,
      auditCounts: this.auditCounts,
      auditTotal: this.auditTotal,
    });
  }
}

/** The daemon.json of the args, validated before anything is registered. */
function generateConfig(name: string, args: HardenedDaemonArgs): ReturnType<typeof secureDaemonConfig> {
  const { audit: _audit, userNamespaces, userRemap, ...settings } = args;
  const options: SecureDaemonOptions = { ...settings };
  if (userNamespaces === false) {
    if (userRemap !== undefined)
      throw new ComponentArgsError("HardenedDaemon", name, [
        {
          path: "userRemap",
          value: userRemap,
          message: "userRemap names a remap user while userNamespaces is false; drop one of them",
        },
      ]);
    options.userRemap = false;
  } else if (userRemap !== undefined) options.userRemap = userRemap;
  try {
    return secureDaemonConfig(options);
  } catch (error) {
    throw new ComponentArgsError("HardenedDaemon", name, [
      { path: "", value: undefined, message: (error as Error).message },
    ]);
  }
}
