import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { SecretStoreArgs } from "./args";
import { writeEnvFile } from "./env-file";

/** See src/program/run-program.ts (not imported: the component must not load the program runner). */
const PROGRAM_INSPECTION = Symbol.for("shipshape.program-inspection");

import { planStore, SecretOrigin, type SecretPlan } from "./validate";

/**
 * A stack's secrets: given (e.g. secret config), read from files or generated with
 * `@pulumi/random`, each a Pulumi secret from the first moment, so only ciphertext reaches the
 * state. Services take them as files (`SecureService.secretFiles`, with `values[name]`), never as
 * environment variables.
 */
export class SecretStore extends pulumi.ComponentResource {
  /** The secrets' names, in the order given. */
  readonly names: pulumi.Output<string[]>;
  /** Every secret's value by name, as one Pulumi secret. */
  readonly values: pulumi.Output<Record<string, string>>;
  /** Every secret's version by name (what rotates a generated one). */
  readonly versions: pulumi.Output<Record<string, number>>;
  /** The env file written (with `envFile: true`), else empty. */
  readonly envFilePath: pulumi.Output<string>;
  private readonly secretNames: string[];
  private readonly storeName: string;

  constructor(name: string, args: SecretStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate (and read the files) before anything is registered, the component included.
    const plan = planStore(name, args);
    super("shipshape:index:SecretStore", name, recordedArgs(args), opts);
    this.storeName = name;
    this.secretNames = plan.secrets.map((s) => s.name);
    const entries = plan.secrets.map((s) => [s.name, this.secretOutput(name, s)] as const);
    this.names = pulumi.output(plan.secrets.map((s) => s.name));
    this.values = pulumi.secret(
      pulumi.all(Object.fromEntries(entries)) as pulumi.Output<Record<string, string>>,
    );
    this.versions = pulumi.output(Object.fromEntries(plan.secrets.map((s) => [s.name, s.version])));
    const envPath = plan.envFilePath;
    if (envPath !== undefined) {
      pulumi.log.warn(
        `SecretStore ${name}: writing every secret to the env file ${envPath} (mode 0600). Env files leak: a container started with --env-file shows each value in docker inspect and in its processes' environment; mount the secrets as files (SecureService secretFiles) instead where you can.`,
        this,
      );
      this.envFilePath = this.values.apply((values) => {
        // Written by `pulumi up` only: a preview, or shipshape check/render, changes nothing on disk.
        if (pulumi.runtime.isDryRun() || (globalThis as Record<symbol, unknown>)[PROGRAM_INSPECTION] === true)
          return envPath;
        return writeEnvFile(envPath, values);
      });
    } else {
      this.envFilePath = pulumi.output("");
    }
    this.registerOutputs({
      names: this.names,
      values: this.values,
      versions: this.versions,
      envFilePath: this.envFilePath,
    });
  }

  /**
   * One secret's value, a Pulumi secret (TypeScript convenience; from other languages read
   * `values[name]`). Throws for a name the store does not hold.
   */
  value(secretName: string): pulumi.Output<string> {
    if (!this.secretNames.includes(secretName))
      throw new Error(
        `SecretStore ${this.storeName} holds no secret "${secretName}"; it holds ${this.secretNames.map((n) => `"${n}"`).join(", ")}`,
      );
    return pulumi.secret(this.values.apply((v) => v[secretName] as string));
  }

  private secretOutput(store: string, s: SecretPlan): pulumi.Output<string> {
    switch (s.origin) {
      case SecretOrigin.Generated:
        return new random.RandomPassword(
          `${store}-${s.name}`,
          { length: s.length, special: false, keepers: { version: String(s.version) } },
          { parent: this },
        ).result;
      case SecretOrigin.File:
        return pulumi.secret(s.value);
      case SecretOrigin.Given:
        return pulumi.secret(
          pulumi.output(s.value as pulumi.Input<string>).apply((v) => {
            if (v === "" || (v !== undefined && typeof v !== "string"))
              throw new Error(
                `SecretStore ${store}: the secret "${s.name}" resolved to an empty value; set it (e.g. pulumi config set --secret ...)`,
              );
            return v;
          }),
        );
    }
  }
}

/** The args as recorded on the component: every value a Pulumi secret (ciphertext in the state). */
function recordedArgs(args: SecretStoreArgs): pulumi.Inputs {
  return {
    ...args,
    secrets: args.secrets.map((s) =>
      s.value === undefined ? { ...s } : { ...s, value: pulumi.secret(s.value) },
    ),
  };
}
