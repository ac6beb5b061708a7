import type * as pulumi from "@pulumi/pulumi";

/** One secret of a store: given (a Pulumi secret, e.g. from config), read from a file, or generated. */
export interface StoredSecretArgs {
  /**
   * The secret's name in the store: lowercase letters, digits, '-', '_' and '.', starting and
   * ending with a letter or digit, at most 63 characters (it becomes a file and a Kubernetes key).
   */
  name: string;
  /**
   * The value, e.g. `config.requireSecret("apiKey")`; made a Pulumi secret if it is not one.
   * A changed value replaces the services that mount it.
   * @default none: read from `file`, or generated
   */
  value?: pulumi.Input<string>;
  /**
   * A file to read the value from when the program runs (its exact bytes, UTF-8).
   * @default none: `value`, or generated
   */
  file?: string;
  /**
   * Generate a value of this many letters and digits (with `@pulumi/random`), when neither
   * `value` nor `file` is given.
   * @default 32 (about 190 bits)
   */
  length?: number;
  /**
   * Rotation of a generated secret: a new number generates a new value, and the services that
   * mount it are replaced (nothing else). A given value rotates when it changes.
   * @default 1
   */
  version?: number;
}

/** The secrets a stack keeps. */
export interface SecretStoreArgs {
  /** The secrets, each with a unique name. At least one. */
  secrets: StoredSecretArgs[];
  /**
   * Also write every secret into a `.env` file (`NAME=value` lines, names upper-cased with '_'),
   * mode 0600, during `pulumi up`. Env files leak: their values end up in `docker inspect` and in
   * every process's environment, so this warns; mount the secrets as files instead where you can.
   * @default false (no file is written)
   */
  envFile?: boolean;
  /**
   * Where the env file goes (with `envFile`), relative to the program's directory.
   * @default "<name>.env"
   */
  envFilePath?: string;
}
